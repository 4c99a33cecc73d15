//! The catalog: which repositories the offline hub has, which tags they carry and which image each
//! tag names. The hub is a snapshot of Docker Hub around the turn of 2021/22 (CentOS 8.4.2105 is
//! `centos:latest`, Alpine 3.15.0 `alpine:latest`, Ubuntu 20.04 `ubuntu:latest`).
//!
//! Several tags name one image key (`alpine:latest` and `alpine:3.15` are the same manifest). An image
//! key is only a name for a recipe; the digests come from synthesis.

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
];

/// The repository named `name` (`library/ubuntu`).
pub fn repo(name: &str) -> Option<&'static RepoDef> {
    REPOS.iter().find(|r| r.name == name)
}

/// The index of image `key` in [`IMAGES`].
pub fn image_index(key: &str) -> Option<usize> {
    IMAGES.iter().position(|i| i.key == key)
}
