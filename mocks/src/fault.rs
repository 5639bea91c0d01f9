//! A loopback HTTP proxy in front of moto that injects faults and latency per API operation.
//!
//! Tests point the SDK at the proxy; requests for a faulted operation get the error AWS itself
//! would send (AccessDenied, throttling, a bare HTTP status) and everything else is forwarded to
//! moto unchanged, optionally after a delay. Only 127.0.0.1 is ever contacted.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// What to do to requests for one operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Forward unchanged (to exempt an operation from a `"*"` rule).
    Pass,
    /// Answer as AWS does when IAM denies the call.
    AccessDenied,
    /// Answer as AWS does when the caller is throttled.
    Throttle,
    /// Answer with this HTTP status and an empty body.
    Status(u16),
    /// Answer with this HTTP status and AWS error code (e.g. 403 `ExpiredToken`).
    Error(u16, &'static str),
    /// Forward, but only after this delay.
    Latency(Duration),
}

/// Per-operation rules plus an optional delay for every forwarded request.
#[derive(Debug, Clone, Default)]
pub struct FaultPlan {
    /// Operation name (`DescribeDBClusterSnapshots`) -> fault; `"*"` applies to every
    /// operation without a rule of its own.
    pub rules: BTreeMap<String, Fault>,
    /// Delay added to every forwarded request (simulated network latency).
    pub latency: Duration,
    /// Regions whose endpoints are down: every request signed for them gets HTTP 503.
    pub down_regions: Vec<String>,
}

impl FaultPlan {
    /// Adds a rule.
    /// `operation` is an API operation (`DescribeDBClusters`), `*` for every operation, or
    /// `Operation/needle` for the requests of that operation whose body contains `needle`.
    pub fn with(mut self, operation: &str, fault: Fault) -> Self {
        self.rules.insert(operation.to_owned(), fault);
        self
    }
}

/// The running proxy; dropped = stopped.
pub struct FaultProxy {
    port: u16,
    stop: Arc<AtomicBool>,
    counts: Arc<Mutex<BTreeMap<String, u64>>>,
    actions: Arc<Mutex<BTreeSet<String>>>,
    accept: Option<JoinHandle<()>>,
}

impl FaultProxy {
    /// Starts a proxy on a free loopback port forwarding to `127.0.0.1:upstream_port`.
    pub fn start(upstream_port: u16, plan: FaultPlan) -> std::io::Result<FaultProxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let counts = Arc::new(Mutex::new(BTreeMap::new()));
        let actions = Arc::new(Mutex::new(BTreeSet::new()));
        let plan = Arc::new(plan);
        let accept = {
            let stop = Arc::clone(&stop);
            let counts = Arc::clone(&counts);
            let actions = Arc::clone(&actions);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let plan = Arc::clone(&plan);
                    let counts = Arc::clone(&counts);
                    let actions = Arc::clone(&actions);
                    std::thread::spawn(move || {
                        let _ = serve(stream, upstream_port, &plan, &counts, &actions);
                    });
                }
            })
        };
        Ok(FaultProxy {
            port,
            stop,
            counts,
            actions,
            accept: Some(accept),
        })
    }

    /// `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every IAM action the requests so far needed (`s3:ListAllMyBuckets`), see `iam_action`.
    pub fn actions(&self) -> BTreeSet<String> {
        self.actions.lock().map(|a| a.clone()).unwrap_or_default()
    }

    /// How many requests each operation received so far.
    pub fn counts(&self) -> BTreeMap<String, u64> {
        self.counts.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(SocketAddr::from(([127, 0, 0, 1], self.port)));
        if let Some(handle) = self.accept.take() {
            let _ = handle.join();
        }
    }
}

struct Request {
    head: Vec<String>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.iter().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    /// The API operation: `X-Amz-Target: Service.Operation` (JSON protocols) or the `Action=`
    /// form field (query protocols).
    fn operation(&self) -> String {
        if let Some(target) = self.header("x-amz-target") {
            return target.rsplit('.').next().unwrap_or(target).to_owned();
        }
        let body = String::from_utf8_lossy(&self.body);
        let query = self.head[0]
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.split_once('?'))
            .map(|(_, q)| q.to_owned());
        [body.into_owned(), query.unwrap_or_default()]
            .iter()
            .flat_map(|text| text.split('&').map(str::to_owned).collect::<Vec<_>>())
            .find_map(|pair| pair.strip_prefix("Action=").map(str::to_owned))
            .or_else(|| self.rest_operation())
            .unwrap_or_else(|| "unknown".to_owned())
    }

    /// The operation of a REST protocol request (S3, GuardDuty), from method, path and query.
    fn rest_operation(&self) -> Option<String> {
        let mut line = self.head[0].split_whitespace();
        let (method, target) = (line.next()?, line.next()?);
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let keys: Vec<&str> = query
            .split('&')
            .map(|pair| pair.split('=').next().unwrap_or(pair))
            .collect();
        let operation = match (self.signed_service()?, method, segments.as_slice()) {
            ("s3", "GET", []) => "ListBuckets",
            ("s3", "GET", [_bucket]) => {
                const SUBRESOURCES: &[(&str, &str)] = &[
                    ("location", "GetBucketLocation"),
                    ("versioning", "GetBucketVersioning"),
                    ("logging", "GetBucketLogging"),
                    ("publicAccessBlock", "GetPublicAccessBlock"),
                    ("policy", "GetBucketPolicy"),
                    ("object-lock", "GetObjectLockConfiguration"),
                    ("encryption", "GetBucketEncryption"),
                    ("tagging", "GetBucketTagging"),
                ];
                SUBRESOURCES
                    .iter()
                    .find(|(key, _)| keys.contains(key))
                    .map_or("ListObjects", |(_, op)| op)
            }
            ("s3", "GET", ["v20180820", "configuration", "publicAccessBlock"]) => {
                "GetAccountPublicAccessBlock"
            }
            ("artifact", "GET", ["v1", "customer-agreement", "list"]) => "ListCustomerAgreements",
            ("guardduty", "GET", ["detector"]) => "ListDetectors",
            ("guardduty", "GET", ["detector", _]) => "GetDetector",
            _ => return None,
        };
        Some(operation.to_owned())
    }

    /// The IAM action a request needs (`s3:ListAllMyBuckets` for ListBuckets): the signing
    /// name and operation, with the few places where IAM spells them differently.
    fn iam_action(&self, operation: &str) -> Option<String> {
        let service = match self.signed_service()? {
            "monitoring" => "cloudwatch",
            "tagging" => "tag",
            other => other,
        };
        let action = match (service, operation) {
            ("s3", "ListBuckets") => "ListAllMyBuckets",
            ("s3", "GetPublicAccessBlock") => "GetBucketPublicAccessBlock",
            ("s3", "GetObjectLockConfiguration") => "GetBucketObjectLockConfiguration",
            ("s3", "GetBucketEncryption") => "GetEncryptionConfiguration",
            ("s3", "ListObjects") => "ListBucket",
            _ => operation,
        };
        Some(format!("{service}:{action}"))
    }

    /// One part of the SigV4 credential scope (`Credential=AKID/DATE/REGION/SERVICE/...`).
    fn scope_part(&self, index: usize) -> Option<&str> {
        let auth = self.header("authorization")?;
        let scope = auth.split("Credential=").nth(1)?;
        scope.split('/').nth(index)
    }

    /// The region the request was signed for.
    fn signed_region(&self) -> Option<&str> {
        self.scope_part(2)
    }

    /// The service the request was signed for (the IAM action prefix for the services here).
    fn signed_service(&self) -> Option<&str> {
        self.scope_part(3)
    }

    fn is_ec2(&self) -> bool {
        String::from_utf8_lossy(&self.body).contains("Version=2016-11-15")
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> std::io::Result<Option<Request>> {
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        if line.is_empty() {
            break;
        }
        head.push(line);
    }
    if head.is_empty() {
        return Ok(None);
    }
    let mut request = Request {
        head,
        body: Vec::new(),
    };
    let length: usize = request
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    request.body = vec![0; length];
    reader.read_exact(&mut request.body)?;
    Ok(Some(request))
}

fn serve(
    client: TcpStream,
    upstream_port: u16,
    plan: &FaultPlan,
    counts: &Mutex<BTreeMap<String, u64>>,
    actions: &Mutex<BTreeSet<String>>,
) -> std::io::Result<()> {
    client.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut writer = client.try_clone()?;
    let mut reader = BufReader::new(client);
    // One request per connection: the response says `Connection: close`.
    let Some(request) = read_request(&mut reader)? else {
        return Ok(());
    };
    let operation = request.operation();
    if let Ok(mut counts) = counts.lock() {
        *counts.entry(operation.clone()).or_default() += 1;
    }
    if let (Some(action), Ok(mut actions)) = (request.iam_action(&operation), actions.lock()) {
        actions.insert(action);
    }
    let region_down = request
        .signed_region()
        .is_some_and(|r| plan.down_regions.iter().any(|d| d == r));
    if region_down {
        writer.write_all(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )?;
        return writer.flush();
    }
    // `Operation/needle` rules apply only to requests whose body contains the needle (one role
    // of several AssumeRole calls); they win over plain `Operation` rules.
    let body = String::from_utf8_lossy(&request.body);
    let targeted = plan.rules.iter().find_map(|(key, fault)| {
        let (op, needle) = key.split_once('/')?;
        (op == operation && body.contains(needle)).then_some(fault)
    });
    let rule = targeted
        .or_else(|| plan.rules.get(&operation))
        .or_else(|| plan.rules.get("*"));
    let response = match rule {
        Some(Fault::AccessDenied) => error_response(&request, &operation, 403, "AccessDenied"),
        Some(Fault::Throttle) => error_response(&request, &operation, 400, "Throttling"),
        Some(Fault::Error(status, code)) => error_response(&request, &operation, *status, code),
        Some(Fault::Status(status)) => {
            format!("HTTP/1.1 {status} Injected\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .into_bytes()
        }
        Some(Fault::Latency(delay)) => {
            std::thread::sleep(*delay + plan.latency);
            forward(&request, upstream_port)?
        }
        Some(Fault::Pass) | None => {
            std::thread::sleep(plan.latency);
            forward(&request, upstream_port)?
        }
    };
    writer.write_all(&response)?;
    writer.flush()
}

fn error_response(request: &Request, operation: &str, status: u16, kind: &str) -> Vec<u8> {
    let message = format!("User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: {operation} (injected)");
    let json_code = if kind == "AccessDenied" {
        "AccessDeniedException"
    } else {
        "ThrottlingException"
    };
    let rest_json = matches!(request.signed_service(), Some("artifact" | "guardduty"));
    let (content_type, body, kind) = if rest_json {
        // REST-JSON: the code travels in x-amzn-ErrorType, the body holds the message.
        (
            "application/json",
            format!(r#"{{"message":"{message}"}}"#),
            json_code,
        )
    } else if request.signed_service() == Some("s3") {
        (
            "application/xml",
            format!("<Error><Code>{kind}</Code><Message>{message}</Message><RequestId>injected</RequestId></Error>"),
            kind,
        )
    } else if request.header("x-amz-target").is_some() {
        let code = json_code;
        (
            "application/x-amz-json-1.1",
            format!(r#"{{"__type":"{code}","message":"{message}"}}"#),
            kind,
        )
    } else if request.is_ec2() {
        let code = if kind == "AccessDenied" {
            "UnauthorizedOperation"
        } else {
            "RequestLimitExceeded"
        };
        ("text/xml", format!("<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>injected</RequestID></Response>"), kind)
    } else {
        ("text/xml", format!("<ErrorResponse><Error><Type>Sender</Type><Code>{kind}</Code><Message>{message}</Message></Error><RequestId>injected</RequestId></ErrorResponse>"), kind)
    };
    let reason = if status == 403 {
        "Forbidden"
    } else {
        "Bad Request"
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nx-amzn-ErrorType: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn forward(request: &Request, upstream_port: u16) -> std::io::Result<Vec<u8>> {
    let mut upstream = TcpStream::connect(SocketAddr::from(([127, 0, 0, 1], upstream_port)))?;
    upstream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut out = Vec::new();
    out.extend_from_slice(request.head[0].as_bytes());
    out.extend_from_slice(b"\r\n");
    for line in request.head.iter().skip(1) {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            out.extend_from_slice(line.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }
    out.extend_from_slice(b"Connection: close\r\n\r\n");
    out.extend_from_slice(&request.body);
    upstream.write_all(&out)?;
    let mut response = Vec::new();
    upstream.read_to_end(&mut response)?;
    Ok(close_connection(response))
}

/// Rewrites the response head so the client opens a new connection for its next request.
fn close_connection(response: Vec<u8>) -> Vec<u8> {
    let Some(split) = response.windows(4).position(|w| w == b"\r\n\r\n") else {
        return response;
    };
    let head = String::from_utf8_lossy(&response[..split]);
    let mut out: Vec<u8> = head
        .split("\r\n")
        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
        .collect::<Vec<_>>()
        .join("\r\n")
        .into_bytes();
    out.extend_from_slice(b"\r\nConnection: close");
    out.extend_from_slice(&response[split..]);
    out
}
