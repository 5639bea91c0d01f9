//! Hand-built load balancer snapshots for the ELB checks' unit tests: a compliant baseline.

use crate::snapshot::*;

pub use crate::rds::fixtures::{evaluate, finding_for, status_of, REGION};

/// Recommended policy: TLS 1.2 and 1.3 only.
pub const MODERN_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/// Legacy default policy: TLS 1.0 to 1.2.
pub const LEGACY_POLICY: &str = "ELBSecurityPolicy-2016-08";

/// A failed Elastic Load Balancing call.
pub fn failure(operation: &str) -> Failure {
    Failure::new(
        "elasticloadbalancing",
        operation,
        REGION,
        "AccessDenied",
        "not authorized",
    )
}

/// The ARN of listener `name` on load balancer `lb`.
pub fn listener_arn(lb: &str, name: &str) -> String {
    format!("arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/{lb}/50dc6c495c0c9188/{name}")
}

/// A listener with the given protocol and port, forwarding to a target group.
pub fn listener(lb: &str, name: &str, protocol: &str, port: i32) -> ListenerV2 {
    let tls = matches!(protocol, "HTTPS" | "TLS");
    ListenerV2 {
        arn: listener_arn(lb, name),
        port: Some(port),
        protocol: protocol.into(),
        ssl_policy: tls.then(|| MODERN_POLICY.into()),
        default_actions: vec![action("forward", None)],
    }
}

/// A listener default action.
pub fn action(action_type: &str, redirect_protocol: Option<&str>) -> ListenerAction {
    ListenerAction {
        action_type: action_type.into(),
        redirect_protocol: redirect_protocol.map(Into::into),
    }
}

/// An HTTP listener whose default action redirects to HTTPS.
pub fn redirect_listener(lb: &str, name: &str) -> ListenerV2 {
    ListenerV2 {
        default_actions: vec![action("redirect", Some("HTTPS"))],
        ..listener(lb, name, "HTTP", 80)
    }
}

/// A load balancer of `lb_type` with the given listeners.
pub fn load_balancer(name: &str, lb_type: &str, listeners: Vec<ListenerV2>) -> LoadBalancerV2 {
    LoadBalancerV2 {
        arn: format!(
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/{name}/50dc6c495c0c9188"
        ),
        name: name.into(),
        lb_type: lb_type.into(),
        scheme: Some("internet-facing".into()),
        listeners: Source::Collected(listeners),
    }
}

/// A TLS policy and the protocols it allows.
pub fn policy(name: &str, protocols: &[&str]) -> SslPolicy {
    SslPolicy {
        name: name.into(),
        protocols: protocols.iter().map(|p| (*p).into()).collect(),
    }
}

/// A Classic listener.
pub fn classic_listener(protocol: &str, port: i32, instance_protocol: &str) -> ClassicListener {
    ClassicListener {
        port,
        protocol: protocol.into(),
        instance_protocol: Some(instance_protocol.into()),
    }
}

/// A region with an ALB (HTTPS + HTTP redirect), an NLB (TLS), a Classic LB (HTTPS + SSL) and
/// the predefined policies they use.
pub fn compliant_region() -> RegionSnapshot {
    let mut region = RegionSnapshot::default();
    region.elb.load_balancers = Source::Collected(vec![
        load_balancer(
            "web",
            "application",
            vec![
                listener("web", "https", "HTTPS", 443),
                redirect_listener("web", "http"),
            ],
        ),
        load_balancer("api", "network", vec![listener("api", "tls", "TLS", 443)]),
    ]);
    region.elb.ssl_policies = Source::Collected(vec![
        policy(MODERN_POLICY, &["TLSv1.2", "TLSv1.3"]),
        policy(LEGACY_POLICY, &["TLSv1", "TLSv1.1", "TLSv1.2"]),
        policy("ELBSecurityPolicy-TLS-1-2-2017-01", &["TLSv1.2"]),
    ]);
    region.elb.classic_load_balancers = Source::Collected(vec![ClassicLoadBalancer {
        name: "legacy".into(),
        scheme: Some("internet-facing".into()),
        listeners: vec![
            classic_listener("HTTPS", 443, "HTTPS"),
            classic_listener("SSL", 8443, "SSL"),
        ],
    }]);
    region
}
