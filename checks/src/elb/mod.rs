//! Elastic Load Balancing checks (seeds 002, 003): TLS on every listener, modern TLS policies.
//!
//! ELBv2 (Application, Network, Gateway) listeners are graded one by one through
//! [`grade_v2_listeners`]; Classic Load Balancer listeners through [`grade_classic_listeners`].
//! A listing that could not be read becomes an `error` finding (for the region, or for the load
//! balancer whose listeners are missing), never a silent pass.

use serde_json::{json, Value};

use crate::catalog::{CheckMeta, Context, Resource, Verdict};
use crate::finding::Finding;
use crate::snapshot::{ClassicListener, ClassicLoadBalancer, ListenerV2, LoadBalancerV2, Source};

pub mod elb_listener_tls;
pub mod elb_tls_policy;

#[cfg(test)]
pub(crate) mod fixtures;

/// Resource type of an ELBv2 listener.
pub const LISTENER_TYPE: &str = "AWS::ElasticLoadBalancingV2::Listener";
/// Resource type of an ELBv2 load balancer (used when its listeners could not be read).
pub const LOAD_BALANCER_V2_TYPE: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";
/// Resource type of a Classic Load Balancer (its listeners are graded as `<name>:<port>`).
pub const CLASSIC_TYPE: &str = "AWS::ElasticLoadBalancing::LoadBalancer";

/// True when `protocol` is one of `names`, ignoring ASCII case.
pub fn protocol_is(protocol: &str, names: &[&str]) -> bool {
    names.iter().any(|n| protocol.eq_ignore_ascii_case(n))
}

/// True when an ELBv2 listener terminates TLS itself (HTTPS or TLS).
pub fn terminates_tls(listener: &ListenerV2) -> bool {
    protocol_is(&listener.protocol, &["HTTPS", "TLS"])
}

/// The load balancer's resource, for findings about the load balancer as a whole.
pub fn load_balancer_resource(lb: &LoadBalancerV2) -> Resource {
    let id = if lb.arn.is_empty() { &lb.name } else { &lb.arn };
    Resource::new(LOAD_BALANCER_V2_TYPE, id, &lb.arn)
}

/// The listener's resource: its ARN is both id and ARN.
pub fn listener_resource(listener: &ListenerV2) -> Resource {
    Resource::new(LISTENER_TYPE, &listener.arn, &listener.arn)
}

/// `listener HTTPS:443 of application load balancer web`, for messages.
pub fn describe_listener(lb: &LoadBalancerV2, listener: &ListenerV2) -> String {
    let port = listener.port.map(|p| format!(":{p}")).unwrap_or_default();
    format!(
        "listener {}{port} of {} load balancer {}",
        listener.protocol, lb.lb_type, lb.name
    )
}

/// The facts about a listener that every ELBv2 finding carries.
pub fn listener_evidence(lb: &LoadBalancerV2, listener: &ListenerV2) -> Value {
    json!({
        "LoadBalancerName": lb.name,
        "LoadBalancerArn": lb.arn,
        "Type": lb.lb_type,
        "Scheme": lb.scheme,
        "Protocol": listener.protocol,
        "Port": listener.port,
        "SslPolicy": listener.ssl_policy,
        "DefaultActions": listener
            .default_actions
            .iter()
            .map(|a| json!({ "Type": a.action_type, "RedirectProtocol": a.redirect_protocol }))
            .collect::<Vec<_>>(),
    })
}

/// Runs `grade` over every ELBv2 listener of every region; `grade` returns `None` for a listener
/// the check does not apply to (no finding). A failed load balancer listing is a region `error`;
/// a load balancer whose listeners could not be read is an `error` for that load balancer.
pub fn grade_v2_listeners(
    ctx: &Context,
    meta: &CheckMeta,
    grade: impl Fn(&LoadBalancerV2, &ListenerV2, &crate::snapshot::RegionSnapshot) -> Option<Verdict>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (region_name, region) in &ctx.snapshot.regions {
        let lbs = match &region.elb.load_balancers {
            Source::Collected(lbs) => lbs,
            Source::Failed(failure) => {
                findings.push(meta.finding(
                    ctx,
                    region_name,
                    &Resource::region(region_name),
                    Verdict::error("the ELBv2 load balancer list", failure),
                ));
                continue;
            }
        };
        for lb in lbs {
            match &lb.listeners {
                Source::Collected(listeners) => {
                    for listener in listeners {
                        if let Some(verdict) = grade(lb, listener, region) {
                            findings.push(meta.finding(
                                ctx,
                                region_name,
                                &listener_resource(listener),
                                verdict,
                            ));
                        }
                    }
                }
                Source::Failed(failure) => findings.push(meta.finding(
                    ctx,
                    region_name,
                    &load_balancer_resource(lb),
                    Verdict::error(
                        &format!("the listeners of {} load balancer {}", lb.lb_type, lb.name),
                        failure,
                    ),
                )),
            }
        }
    }
    findings
}

/// The ARN of a Classic Load Balancer, built from the snapshot's partition and account.
fn classic_arn(ctx: &Context, region: &str, name: &str) -> String {
    let snapshot = ctx.snapshot;
    if snapshot.account_id.is_empty() || snapshot.partition.is_empty() {
        return String::new();
    }
    format!(
        "arn:{}:elasticloadbalancing:{region}:{}:loadbalancer/{name}",
        snapshot.partition, snapshot.account_id
    )
}

/// Runs `grade` over every Classic Load Balancer listener of every region; each finding's
/// resource is `<name>:<port>`. A failed Classic listing is a region `error`.
pub fn grade_classic_listeners(
    ctx: &Context,
    meta: &CheckMeta,
    grade: impl Fn(&ClassicLoadBalancer, &ClassicListener) -> Verdict,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (region_name, region) in &ctx.snapshot.regions {
        match &region.elb.classic_load_balancers {
            Source::Collected(lbs) => {
                for lb in lbs {
                    let arn = classic_arn(ctx, region_name, &lb.name);
                    for listener in &lb.listeners {
                        let id = format!("{}:{}", lb.name, listener.port);
                        let resource = Resource::new(CLASSIC_TYPE, &id, &arn);
                        findings.push(meta.finding(
                            ctx,
                            region_name,
                            &resource,
                            grade(lb, listener),
                        ));
                    }
                }
            }
            Source::Failed(failure) => findings.push(meta.finding(
                ctx,
                region_name,
                &Resource::region(region_name),
                Verdict::error("the Classic load balancer list", failure),
            )),
        }
    }
    findings
}

/// The facts about a Classic listener that its findings carry.
pub fn classic_evidence(lb: &ClassicLoadBalancer, listener: &ClassicListener) -> Value {
    json!({
        "LoadBalancerName": lb.name,
        "Scheme": lb.scheme,
        "Protocol": listener.protocol,
        "LoadBalancerPort": listener.port,
        "InstanceProtocol": listener.instance_protocol,
    })
}
