//! `docker search`: the hub's search index and the query over it.
//!
//! The index holds every catalog repository plus repositories that exist only as search results
//! (Docker Hub's long tail for the exam's favourite terms, `apache`, `httpd`, `nginx` …, with names,
//! descriptions, stars and flags as the Hub showed them around 2021). Pulling a search-only
//! repository answers `denied`, like a repository that has since gone private.
//!
//! Matching follows the Hub's v1 search closely enough: the term matches, case-insensitively, a
//! substring of the name or of the description; official repositories come first, then by stars
//! (the CLI sorts by stars again), and at most `limit` results are returned.

use serde::Serialize;

use super::Hub;

/// One search result, with the registry API's JSON keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchResult {
    pub star_count: u32,
    pub is_official: bool,
    pub name: String,
    pub is_automated: bool,
    pub description: String,
}

/// (name as the Hub shows it, description, stars, official, automated).
type Entry = (&'static str, &'static str, u32, bool, bool);

/// The search index: official repositories by their short names.
pub static INDEX: &[Entry] = &[
    // Official images.
    (
        "alpine",
        "A minimal Docker image based on Alpine Linux with a complete package index and only 5 MB in size!",
        8326,
        true,
        false,
    ),
    ("busybox", "Busybox base image.", 2612, true, false),
    ("centos", "The official build of CentOS.", 6904, true, false),
    (
        "debian",
        "Debian is a Linux distribution that's composed entirely of free and open-source software.",
        4162,
        true,
        false,
    ),
    (
        "fedora",
        "Official Docker builds of Fedora",
        1055,
        true,
        false,
    ),
    (
        "hello-world",
        "Hello World! (an example of minimal Dockerization)",
        1618,
        true,
        false,
    ),
    ("httpd", "The Apache HTTP Server Project", 3822, true, false),
    (
        "jenkins",
        "DEPRECATED; use \"jenkins/jenkins:lts\" instead",
        5453,
        true,
        false,
    ),
    (
        "mysql",
        "MySQL is a widely used, open-source relational database management system (RDBMS).",
        12024,
        true,
        false,
    ),
    ("nginx", "Official build of Nginx.", 16051, true, false),
    (
        "node",
        "Node.js is a JavaScript-based platform for server-side and networking applications.",
        10978,
        true,
        false,
    ),
    (
        "php",
        "While designed for web development, the PHP scripting language also provides general-purpose use.",
        6387,
        true,
        false,
    ),
    (
        "postgres",
        "The PostgreSQL object-relational database system provides reliability and data integrity.",
        10617,
        true,
        false,
    ),
    (
        "python",
        "Python is an interpreted, interactive, object-oriented, open-source programming language.",
        7469,
        true,
        false,
    ),
    (
        "redis",
        "Redis is an open source key-value store that functions as a data structure server.",
        10363,
        true,
        false,
    ),
    (
        "registry",
        "The Docker Registry 2.0 implementation for storing and distributing Docker images",
        3423,
        true,
        false,
    ),
    (
        "tomcat",
        "Apache Tomcat is an open source implementation of the Java Servlet and JavaServer Pages technologies",
        3231,
        true,
        false,
    ),
    (
        "ubuntu",
        "Ubuntu is a Debian-based Linux operating system based on free software.",
        13557,
        true,
        false,
    ),
    (
        "wordpress",
        "The WordPress rich content management system can utilize plugins, widgets, and themes.",
        4825,
        true,
        false,
    ),
    (
        "cassandra",
        "Apache Cassandra is an open-source distributed storage system.",
        1346,
        true,
        false,
    ),
    (
        "maven",
        "Apache Maven is a software project management and comprehension tool.",
        1296,
        true,
        false,
    ),
    (
        "solr",
        "Solr is the popular, blazing-fast, open source enterprise search platform built on Apache Lucene™.",
        880,
        true,
        false,
    ),
    (
        "zookeeper",
        "Apache ZooKeeper is an open-source server which enables highly reliable distributed coordination.",
        1134,
        true,
        false,
    ),
    (
        "groovy",
        "Apache Groovy is a multi-faceted language for the Java platform.",
        111,
        true,
        false,
    ),
    (
        "couchdb",
        "CouchDB is a database that uses JSON for documents, an HTTP API, & JavaScript/declarative indexing.",
        445,
        true,
        false,
    ),
    (
        "flink",
        "Apache Flink® is a powerful open-source distributed stream and batch processing framework.",
        300,
        true,
        false,
    ),
    (
        "jenkins/jenkins",
        "The leading open source automation server",
        2860,
        false,
        false,
    ),
    // Community: Apache httpd and friends.
    (
        "bitnami/apache",
        "Bitnami Apache Docker Image",
        101,
        false,
        true,
    ),
    (
        "bitnami/nginx",
        "Bitnami nginx Docker Image",
        136,
        false,
        true,
    ),
    (
        "bitnami/redis",
        "Bitnami Redis Docker Image",
        193,
        false,
        true,
    ),
    (
        "eboraas/apache-php",
        "PHP on Apache (with SSL/TLS support), built on Debian",
        144,
        false,
        true,
    ),
    (
        "eboraas/apache",
        "Apache (with SSL/TLS support), built on Debian",
        92,
        false,
        true,
    ),
    (
        "nimmis/apache-php5",
        "This is docker images of Ubuntu 14.04 LTS with apache2, php5 and composer",
        69,
        false,
        true,
    ),
    ("webdevops/apache", "Apache container", 11, false, true),
    (
        "ulsmith/alpine-apache",
        "Alpine 3.6 using apache2 for lightweight web server. Bind to /app/public",
        4,
        false,
        true,
    ),
    ("apache/airflow", "Apache Airflow", 285, false, false),
    (
        "apache/nifi",
        "Unofficial convenience binaries and Docker images for Apache NiFi",
        243,
        false,
        false,
    ),
    (
        "apacheignite/ignite",
        "Apache Ignite - Distributed Database",
        78,
        false,
        true,
    ),
    (
        "apache/skywalking-oap-server",
        "Apache SkyWalking OAP Server",
        91,
        false,
        false,
    ),
    (
        "linuxserver/apache",
        "An Apache container, brought to you by LinuxServer.io.",
        28,
        false,
        false,
    ),
    (
        "antage/apache2-php5",
        "Docker image for running Apache 2.x with PHP 5.x",
        24,
        false,
        true,
    ),
    ("apache/superset", "Apache Superset", 95, false, false),
    (
        "centos/httpd-24-centos7",
        "Platform for running Apache httpd 2.4 or building httpd-based application",
        42,
        false,
        false,
    ),
    ("centos/httpd", "", 34, false, true),
    (
        "clearlinux/httpd",
        "httpd HyperText Transfer Protocol (HTTP) server program with the benefits of Clear Linux OS",
        2,
        false,
        false,
    ),
    (
        "salim1983hoop/httpd24",
        "Dockerfile running apache config",
        2,
        false,
        true,
    ),
    (
        "solsson/httpd-openidc",
        "mod_auth_openidc on official httpd image, version pinned",
        2,
        false,
        true,
    ),
    ("hypoport/httpd-cgi", "httpd-cgi", 2, false, true),
    ("publici/httpd", "httpd:latest", 1, false, true),
    (
        "manageiq/httpd",
        "Container with httpd, built on CentOS for ManageIQ",
        1,
        false,
        true,
    ),
    (
        "dariko/httpd-rproxy-ldap",
        "Apache httpd reverse proxy with LDAP authentication",
        1,
        false,
        true,
    ),
    (
        "lead4good/httpd-fpm",
        "httpd server which connects via fcgi proxy h to php-fpm",
        1,
        false,
        true,
    ),
    (
        "jitesoft/httpd",
        "Apache httpd on Alpine linux.",
        0,
        false,
        false,
    ),
    (
        "interlutions/httpd",
        "httpd docker image with debian-based config structure",
        0,
        false,
        true,
    ),
    (
        "amd64/httpd",
        "The Apache HTTP Server Project",
        0,
        false,
        false,
    ),
    (
        "arm64v8/httpd",
        "The Apache HTTP Server Project",
        6,
        false,
        false,
    ),
    ("paketobuildpacks/httpd", "", 0, false, false),
    // Community: others the exam's examples search for.
    (
        "jwilder/nginx-proxy",
        "Automated Nginx reverse proxy for docker containers",
        2100,
        false,
        true,
    ),
    (
        "richarvey/nginx-php-fpm",
        "Container running Nginx + PHP-FPM capable of pulling application code from git",
        846,
        false,
        true,
    ),
    (
        "linuxserver/nginx",
        "An Nginx container, brought to you by LinuxServer.io.",
        173,
        false,
        false,
    ),
    (
        "dorowu/ubuntu-desktop-lxde-vnc",
        "Docker image to provide HTML5 VNC interface to access Ubuntu 16.04 LXDE desktop environment.",
        563,
        false,
        true,
    ),
    (
        "websphere-liberty",
        "WebSphere Liberty multi-architecture images based on Ubuntu 18.04",
        282,
        true,
        false,
    ),
    (
        "ubuntu-upstart",
        "Upstart is an event-based replacement for the /sbin/init daemon",
        112,
        true,
        false,
    ),
    (
        "centos/systemd",
        "systemd enabled base container.",
        107,
        false,
        true,
    ),
    (
        "kasmweb/centos-7-desktop",
        "CentOS 7 desktop for Kasm Workspaces",
        8,
        false,
        false,
    ),
    (
        "mysql/mysql-server",
        "Optimized MySQL Server Docker images. Created, maintained and supported by the MySQL team at Oracle",
        977,
        false,
        true,
    ),
    (
        "mariadb",
        "MariaDB Server is a high performing open source relational database, forked from MySQL.",
        4715,
        true,
        false,
    ),
    (
        "percona",
        "Percona Server is a fork of the MySQL relational database management system created by Percona.",
        570,
        true,
        false,
    ),
    ("progrium/busybox", "", 71, false, true),
    (
        "radial/busyboxplus",
        "Full-chain, Internet enabled, busybox made from scratch. Comes in git and cURL flavors.",
        14,
        false,
        true,
    ),
    (
        "alpine/git",
        "A  simple git container running in alpine linux, especially for using git command only",
        191,
        false,
        true,
    ),
    (
        "mhart/alpine-node",
        "Minimal Node.js built on Alpine Linux",
        484,
        false,
        false,
    ),
    (
        "anapsix/alpine-java",
        "Oracle Java 8 (and 7) with GLIBC 2.28 over AlpineLinux",
        471,
        false,
        true,
    ),
    (
        "docker/getting-started",
        "Getting Started tutorial for Docker",
        220,
        false,
        false,
    ),
    (
        "konradkleine/docker-registry-frontend",
        "Browse and modify your Docker registry in a browser.",
        259,
        false,
        true,
    ),
    (
        "joxit/docker-registry-ui",
        "Docker registry v2 web User Interface",
        231,
        false,
        false,
    ),
];

impl Hub {
    /// Searches the index for `term`, official repositories first, then by stars; at most `limit`.
    pub fn search(&self, term: &str, limit: usize) -> Vec<SearchResult> {
        let term = term.to_lowercase();
        let mut hits: Vec<&Entry> = INDEX
            .iter()
            .filter(|(name, desc, ..)| {
                name.to_lowercase().contains(&term) || desc.to_lowercase().contains(&term)
            })
            .collect();
        hits.sort_by(|a, b| b.3.cmp(&a.3).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
        hits.into_iter()
            .take(limit)
            .map(
                |&(name, description, star_count, is_official, is_automated)| SearchResult {
                    star_count,
                    is_official,
                    name: name.into(),
                    is_automated,
                    description: description.into(),
                },
            )
            .collect()
    }
}
