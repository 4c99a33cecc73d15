//! The catalog: which repositories the offline hub has, which tags they carry and which image each
//! tag names. The hub is a snapshot of Docker Hub around the turn of 2021/22 (CentOS 8.4.2105 is
//! `centos:latest`, Alpine 3.15.0 `alpine:latest`, Ubuntu 20.04 `ubuntu:latest`).
//!
//! Several tags name one image key (`alpine:latest` and `alpine:3.15` are the same manifest). An image
//! key is only a name for a recipe; the digests come from synthesis.

use super::apps;
use super::distro;
use super::images;
use super::recipe::Recipe;

/// One synthesisable image.
pub struct ImageDef {
    /// A unique name for the recipe (`alpine:3.15`); seeds the builder bookkeeping too.
    pub key: &'static str,
    /// Served as a manifest list with linux/amd64 and linux/arm64/v8.
    pub multiarch: bool,
    pub recipe: fn() -> Recipe,
}

/// One repository and its tags (tag, image key).
pub struct RepoDef {
    pub name: &'static str,
    pub tags: &'static [(&'static str, &'static str)],
}

/// Every image recipe in the hub.
pub static IMAGES: &[ImageDef] = &[
    ImageDef {
        key: "alpine:3.12",
        multiarch: true,
        recipe: || distro::alpine("3.12.9", "2021-11-12T17:20:08.442217528Z"),
    },
    ImageDef {
        key: "alpine:3.13",
        multiarch: true,
        recipe: || distro::alpine("3.13.7", "2021-11-12T17:19:45.079013213Z"),
    },
    ImageDef {
        key: "alpine:3.14",
        multiarch: true,
        recipe: || distro::alpine("3.14.3", "2021-11-12T17:19:44.795237917Z"),
    },
    ImageDef {
        key: "alpine:3.15",
        multiarch: true,
        recipe: || distro::alpine("3.15.0", "2021-11-24T20:19:40.483367546Z"),
    },
    ImageDef {
        key: "busybox:1.34.1",
        multiarch: true,
        recipe: || distro::busybox("2021-12-30T19:19:40.833034683Z"),
    },
    ImageDef {
        key: "debian:buster",
        multiarch: false,
        recipe: || distro::debian("buster", false, "2021-12-21T01:23:24.046016459Z"),
    },
    ImageDef {
        key: "debian:buster-slim",
        multiarch: false,
        recipe: || distro::debian("buster", true, "2021-12-21T01:23:34.151345614Z"),
    },
    ImageDef {
        key: "debian:bullseye",
        multiarch: false,
        recipe: || distro::debian("bullseye", false, "2021-12-21T01:22:45.396102478Z"),
    },
    ImageDef {
        key: "debian:bullseye-slim",
        multiarch: false,
        recipe: || distro::debian("bullseye", true, "2021-12-21T01:22:55.912830617Z"),
    },
    ImageDef {
        key: "ubuntu:18.04",
        multiarch: true,
        recipe: || distro::ubuntu("18.04", "2021-10-01T16:24:21.734961587Z"),
    },
    ImageDef {
        key: "ubuntu:20.04",
        multiarch: true,
        recipe: || distro::ubuntu("20.04", "2021-10-16T00:37:47.578710012Z"),
    },
    ImageDef {
        key: "ubuntu:22.04",
        multiarch: true,
        recipe: || distro::ubuntu("22.04", "2022-04-29T23:03:55.541307066Z"),
    },
    ImageDef {
        key: "centos:6",
        multiarch: false,
        recipe: || distro::centos(6),
    },
    ImageDef {
        key: "centos:7",
        multiarch: false,
        recipe: || distro::centos(7),
    },
    ImageDef {
        key: "centos:8",
        multiarch: false,
        recipe: || distro::centos(8),
    },
    ImageDef {
        key: "fedora:35",
        multiarch: false,
        recipe: || distro::fedora("2021-11-02T21:29:17.254209216Z"),
    },
    ImageDef {
        key: "hello-world:latest",
        multiarch: true,
        recipe: images::hello_world,
    },
    ImageDef {
        key: "httpd:2.4",
        multiarch: false,
        recipe: images::httpd,
    },
    ImageDef {
        key: "httpd:2.4-alpine",
        multiarch: false,
        recipe: images::httpd_alpine,
    },
    ImageDef {
        key: "nginx:1.21",
        multiarch: true,
        recipe: images::nginx,
    },
    ImageDef {
        key: "nginx:1.21-alpine",
        multiarch: true,
        recipe: images::nginx_alpine,
    },
    ImageDef {
        key: "registry:2.7",
        multiarch: false,
        recipe: images::registry,
    },
    ImageDef {
        key: "mysql:8.0",
        multiarch: false,
        recipe: || apps::mysql("8.0"),
    },
    ImageDef {
        key: "mysql:5.7",
        multiarch: false,
        recipe: || apps::mysql("5.7"),
    },
    ImageDef {
        key: "redis:6.2",
        multiarch: true,
        recipe: apps::redis,
    },
    ImageDef {
        key: "redis:6.2-alpine",
        multiarch: true,
        recipe: apps::redis_alpine,
    },
    ImageDef {
        key: "postgres:14",
        multiarch: false,
        recipe: apps::postgres,
    },
    ImageDef {
        key: "node:16",
        multiarch: false,
        recipe: || apps::node("16.13.1", false),
    },
    ImageDef {
        key: "node:17",
        multiarch: false,
        recipe: || apps::node("17.3.0", false),
    },
    ImageDef {
        key: "node:16-alpine",
        multiarch: false,
        recipe: || apps::node("16.13.1", true),
    },
    ImageDef {
        key: "python:3.10",
        multiarch: false,
        recipe: || apps::python("3.10.1", false),
    },
    ImageDef {
        key: "python:3.10-slim",
        multiarch: false,
        recipe: || apps::python("3.10.1", true),
    },
    ImageDef {
        key: "python:3.9",
        multiarch: false,
        recipe: || apps::python("3.9.9", false),
    },
    ImageDef {
        key: "php:8.1-apache",
        multiarch: false,
        recipe: || apps::php("8.1.1", true),
    },
    ImageDef {
        key: "php:8.1-cli",
        multiarch: false,
        recipe: || apps::php("8.1.1", false),
    },
    ImageDef {
        key: "php:7.4-apache",
        multiarch: false,
        recipe: || apps::php("7.4.27", true),
    },
    ImageDef {
        key: "wordpress:5.8",
        multiarch: false,
        recipe: apps::wordpress,
    },
    ImageDef {
        key: "tomcat:9",
        multiarch: false,
        recipe: || apps::tomcat("9.0.56"),
    },
    ImageDef {
        key: "tomcat:10",
        multiarch: false,
        recipe: || apps::tomcat("10.0.14"),
    },
    ImageDef {
        key: "jenkins/jenkins:lts",
        multiarch: false,
        recipe: apps::jenkins,
    },
    ImageDef {
        key: "bitnami/apache",
        multiarch: false,
        recipe: || apps::bitnami("apache"),
    },
    ImageDef {
        key: "bitnami/nginx",
        multiarch: false,
        recipe: || apps::bitnami("nginx"),
    },
    ImageDef {
        key: "bitnami/redis",
        multiarch: false,
        recipe: || apps::bitnami("redis"),
    },
    ImageDef {
        key: "centos/httpd-24-centos7",
        multiarch: false,
        recipe: apps::centos_httpd24,
    },
    ImageDef {
        key: "eboraas/apache",
        multiarch: false,
        recipe: || apps::community_apache2("eboraas"),
    },
    ImageDef {
        key: "webdevops/apache",
        multiarch: false,
        recipe: || apps::community_apache2("webdevops"),
    },
    ImageDef {
        key: "ulsmith/alpine-apache",
        multiarch: false,
        recipe: apps::alpine_apache,
    },
];

/// Every repository in the hub.
pub static REPOS: &[RepoDef] = &[
    RepoDef {
        name: "library/alpine",
        tags: &[
            ("3", "alpine:3.15"),
            ("3.12", "alpine:3.12"),
            ("3.12.9", "alpine:3.12"),
            ("3.13", "alpine:3.13"),
            ("3.13.7", "alpine:3.13"),
            ("3.14", "alpine:3.14"),
            ("3.14.3", "alpine:3.14"),
            ("3.15", "alpine:3.15"),
            ("3.15.0", "alpine:3.15"),
            ("latest", "alpine:3.15"),
        ],
    },
    RepoDef {
        name: "library/busybox",
        tags: &[
            ("1", "busybox:1.34.1"),
            ("1.34", "busybox:1.34.1"),
            ("1.34.1", "busybox:1.34.1"),
            ("latest", "busybox:1.34.1"),
        ],
    },
    RepoDef {
        name: "library/debian",
        tags: &[
            ("10", "debian:buster"),
            ("11", "debian:bullseye"),
            ("buster", "debian:buster"),
            ("buster-slim", "debian:buster-slim"),
            ("bullseye", "debian:bullseye"),
            ("bullseye-slim", "debian:bullseye-slim"),
            ("latest", "debian:bullseye"),
        ],
    },
    RepoDef {
        name: "library/ubuntu",
        tags: &[
            ("18.04", "ubuntu:18.04"),
            ("20.04", "ubuntu:20.04"),
            ("22.04", "ubuntu:22.04"),
            ("bionic", "ubuntu:18.04"),
            ("focal", "ubuntu:20.04"),
            ("jammy", "ubuntu:22.04"),
            ("latest", "ubuntu:20.04"),
        ],
    },
    RepoDef {
        name: "library/centos",
        tags: &[
            ("6", "centos:6"),
            ("6.10", "centos:6"),
            ("7", "centos:7"),
            ("7.9.2009", "centos:7"),
            ("8", "centos:8"),
            ("8.4.2105", "centos:8"),
            ("centos6", "centos:6"),
            ("centos7", "centos:7"),
            ("centos8", "centos:8"),
            ("latest", "centos:8"),
        ],
    },
    RepoDef {
        name: "library/fedora",
        tags: &[("35", "fedora:35"), ("latest", "fedora:35")],
    },
    RepoDef {
        name: "library/hello-world",
        tags: &[
            ("latest", "hello-world:latest"),
            ("linux", "hello-world:latest"),
        ],
    },
    RepoDef {
        name: "library/httpd",
        tags: &[
            ("2", "httpd:2.4"),
            ("2-alpine", "httpd:2.4-alpine"),
            ("2.4", "httpd:2.4"),
            ("2.4-alpine", "httpd:2.4-alpine"),
            ("2.4.52", "httpd:2.4"),
            ("2.4.52-alpine", "httpd:2.4-alpine"),
            ("alpine", "httpd:2.4-alpine"),
            ("latest", "httpd:2.4"),
        ],
    },
    RepoDef {
        name: "library/nginx",
        tags: &[
            ("1.21", "nginx:1.21"),
            ("1.21-alpine", "nginx:1.21-alpine"),
            ("1.21.5", "nginx:1.21"),
            ("alpine", "nginx:1.21-alpine"),
            ("latest", "nginx:1.21"),
            ("mainline", "nginx:1.21"),
        ],
    },
    RepoDef {
        name: "library/registry",
        tags: &[
            ("2", "registry:2.7"),
            ("2.7", "registry:2.7"),
            ("2.7.1", "registry:2.7"),
            ("latest", "registry:2.7"),
        ],
    },
    RepoDef {
        name: "library/mysql",
        tags: &[
            ("5", "mysql:5.7"),
            ("5.7", "mysql:5.7"),
            ("5.7.36", "mysql:5.7"),
            ("8", "mysql:8.0"),
            ("8.0", "mysql:8.0"),
            ("8.0.27", "mysql:8.0"),
            ("latest", "mysql:8.0"),
        ],
    },
    RepoDef {
        name: "library/redis",
        tags: &[
            ("6", "redis:6.2"),
            ("6-alpine", "redis:6.2-alpine"),
            ("6.2", "redis:6.2"),
            ("6.2-alpine", "redis:6.2-alpine"),
            ("6.2.6", "redis:6.2"),
            ("alpine", "redis:6.2-alpine"),
            ("latest", "redis:6.2"),
        ],
    },
    RepoDef {
        name: "library/postgres",
        tags: &[
            ("14", "postgres:14"),
            ("14.1", "postgres:14"),
            ("latest", "postgres:14"),
        ],
    },
    RepoDef {
        name: "library/node",
        tags: &[
            ("16", "node:16"),
            ("16-alpine", "node:16-alpine"),
            ("16.13.1", "node:16"),
            ("17", "node:17"),
            ("17.3.0", "node:17"),
            ("alpine", "node:16-alpine"),
            ("latest", "node:17"),
            ("lts", "node:16"),
        ],
    },
    RepoDef {
        name: "library/python",
        tags: &[
            ("3", "python:3.10"),
            ("3.10", "python:3.10"),
            ("3.10-slim", "python:3.10-slim"),
            ("3.10.1", "python:3.10"),
            ("3.9", "python:3.9"),
            ("3.9.9", "python:3.9"),
            ("latest", "python:3.10"),
            ("slim", "python:3.10-slim"),
        ],
    },
    RepoDef {
        name: "library/php",
        tags: &[
            ("7.4-apache", "php:7.4-apache"),
            ("8.1-apache", "php:8.1-apache"),
            ("8.1-cli", "php:8.1-cli"),
            ("apache", "php:8.1-apache"),
            ("cli", "php:8.1-cli"),
            ("latest", "php:8.1-cli"),
        ],
    },
    RepoDef {
        name: "library/wordpress",
        tags: &[
            ("5.8", "wordpress:5.8"),
            ("5.8.2", "wordpress:5.8"),
            ("latest", "wordpress:5.8"),
        ],
    },
    RepoDef {
        name: "library/tomcat",
        tags: &[
            ("10", "tomcat:10"),
            ("10.0", "tomcat:10"),
            ("9", "tomcat:9"),
            ("9.0", "tomcat:9"),
            ("9.0.56", "tomcat:9"),
            ("latest", "tomcat:10"),
        ],
    },
    RepoDef {
        name: "jenkins/jenkins",
        tags: &[
            ("2.319.1", "jenkins/jenkins:lts"),
            ("latest", "jenkins/jenkins:lts"),
            ("lts", "jenkins/jenkins:lts"),
        ],
    },
    RepoDef {
        name: "bitnami/apache",
        tags: &[("2.4", "bitnami/apache"), ("latest", "bitnami/apache")],
    },
    RepoDef {
        name: "bitnami/nginx",
        tags: &[("1.21", "bitnami/nginx"), ("latest", "bitnami/nginx")],
    },
    RepoDef {
        name: "bitnami/redis",
        tags: &[("6.2", "bitnami/redis"), ("latest", "bitnami/redis")],
    },
    RepoDef {
        name: "centos/httpd-24-centos7",
        tags: &[("latest", "centos/httpd-24-centos7")],
    },
    RepoDef {
        name: "eboraas/apache",
        tags: &[("latest", "eboraas/apache")],
    },
    RepoDef {
        name: "webdevops/apache",
        tags: &[
            ("latest", "webdevops/apache"),
            ("ubuntu-18.04", "webdevops/apache"),
        ],
    },
    RepoDef {
        name: "ulsmith/alpine-apache",
        tags: &[("latest", "ulsmith/alpine-apache")],
    },
];

/// The repository named `name` (`library/ubuntu`).
pub fn repo(name: &str) -> Option<&'static RepoDef> {
    REPOS.iter().find(|r| r.name == name)
}

/// The index of image `key` in [`IMAGES`].
pub fn image_index(key: &str) -> Option<usize> {
    IMAGES.iter().position(|i| i.key == key)
}
