//! Launches `moto_server` on a free loopback port and stops it by pid.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Why moto could not be started or used.
#[derive(Debug, thiserror::Error)]
pub enum MotoError {
    /// Neither `moto_server` nor `python3 -m moto.server` runs on this machine.
    #[error(
        "moto_server is not installed (tried `moto_server` and `python3 -m moto.server`): \
         install it with `python3 -m pip install 'moto[server]'`{detail}"
    )]
    NotInstalled {
        /// What the last attempt printed, if anything.
        detail: String,
    },
    /// It started but did not answer in time.
    #[error("moto_server did not become ready on 127.0.0.1:{port} within {seconds}s (log: {log})")]
    NotReady {
        /// Port it was started on.
        port: u16,
        /// How long we waited.
        seconds: u64,
        /// Its log file.
        log: String,
    },
    /// Local I/O failed (ports, log file, HTTP to moto).
    #[error("moto: {0}")]
    Io(#[from] std::io::Error),
}

/// A running moto_server; dropped = killed.
#[derive(Debug)]
pub struct MotoServer {
    child: Child,
    port: u16,
    log: PathBuf,
}

/// Finds a free TCP port on 127.0.0.1.
pub fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Sends one HTTP/1.1 request to 127.0.0.1:port and returns the status code and body.
pub fn http_request(port: u16, method: &str, path: &str) -> std::io::Result<(u16, String)> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

impl MotoServer {
    /// Starts moto on a free port and waits (up to 30 s) until it answers.
    pub fn start() -> Result<MotoServer, MotoError> {
        let port = free_port()?;
        let log = std::env::temp_dir().join(format!("hipaa-audit-moto-{port}.log"));
        let mut last_detail = String::new();
        let port_text = port.to_string();
        let attempts: [(&str, Vec<&str>); 2] = [
            ("moto_server", vec!["-H", "127.0.0.1", "-p", &port_text]),
            (
                "python3",
                vec!["-m", "moto.server", "-H", "127.0.0.1", "-p", &port_text],
            ),
        ];
        for (program, args) in attempts {
            let log_file = std::fs::File::create(&log)?;
            let spawned = Command::new(program)
                .args(&args)
                // AWS-managed IAM policies (AdministratorAccess, ...) exist in every account.
                .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::from(log_file))
                .spawn();
            let child = match spawned {
                Ok(child) => child,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e.into()),
            };
            let mut server = MotoServer {
                child,
                port,
                log: log.clone(),
            };
            match server.wait_ready(Duration::from_secs(30)) {
                Ok(()) => return Ok(server),
                Err(WaitError::Exited) => {
                    last_detail = std::fs::read_to_string(&log).unwrap_or_default();
                }
                Err(WaitError::Timeout) => {
                    return Err(MotoError::NotReady {
                        port,
                        seconds: 30,
                        log: log.display().to_string(),
                    })
                }
            }
        }
        let detail = last_detail.lines().last().unwrap_or("").trim().to_owned();
        Err(MotoError::NotInstalled {
            detail: if detail.is_empty() {
                String::new()
            } else {
                format!(" ({detail})")
            },
        })
    }

    fn wait_ready(&mut self, limit: Duration) -> Result<(), WaitError> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return Err(WaitError::Exited);
            }
            if let Ok((200, _)) = http_request(self.port, "GET", "/moto-api/data.json") {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(WaitError::Timeout)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Where moto's log goes.
    pub fn log_path(&self) -> &std::path::Path {
        &self.log
    }

    /// Makes moto's generated ids (sg-..., vpc-..., key ids) a function of `seed` and the order
    /// of calls (`POST /moto-api/seed`), so a seeded account looks the same on every run.
    pub fn deterministic_ids(&self, seed: u32) -> Result<(), MotoError> {
        let (status, body) = http_request(self.port, "POST", &format!("/moto-api/seed?a={seed}"))?;
        if status == 200 {
            Ok(())
        } else {
            Err(MotoError::Io(std::io::Error::other(format!(
                "seed answered {status}: {body}"
            ))))
        }
    }

    /// Clears all state (`POST /moto-api/reset`).
    pub fn reset(&self) -> Result<(), MotoError> {
        let (status, body) = http_request(self.port, "POST", "/moto-api/reset")?;
        if status == 200 {
            Ok(())
        } else {
            Err(MotoError::Io(std::io::Error::other(format!(
                "reset answered {status}: {body}"
            ))))
        }
    }
}

enum WaitError {
    Exited,
    Timeout,
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        // Stop by pid; ignore "already exited".
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}
