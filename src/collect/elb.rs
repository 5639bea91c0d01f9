//! Load balancer collector: ELBv2 load balancers, their listeners and the TLS policies in use,
//! and Classic Load Balancers with their listeners.

use aws_sdk_elasticloadbalancing::types as classic;
use aws_sdk_elasticloadbalancingv2::types as v2;
use futures::future::join_all;
use hipaa_checks::snapshot::{
    ClassicListener, ClassicLoadBalancer, ElbSnapshot, ListenerAction, ListenerV2, LoadBalancerV2,
    SslPolicy,
};
use hipaa_checks::Source;

use super::{all_items, source, RegionClients};

fn listener_from(l: &v2::Listener) -> ListenerV2 {
    ListenerV2 {
        arn: l.listener_arn().unwrap_or_default().to_owned(),
        port: l.port(),
        protocol: l
            .protocol()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        ssl_policy: l.ssl_policy().map(str::to_owned),
        default_actions: l
            .default_actions()
            .iter()
            .map(|a| ListenerAction {
                action_type: a
                    .r#type()
                    .map(|t| t.as_str().to_owned())
                    .unwrap_or_default(),
                redirect_protocol: a
                    .redirect_config()
                    .and_then(|r| r.protocol())
                    .map(str::to_owned),
            })
            .collect(),
    }
}

fn classic_from(lb: &classic::LoadBalancerDescription) -> ClassicLoadBalancer {
    ClassicLoadBalancer {
        name: lb.load_balancer_name().unwrap_or_default().to_owned(),
        scheme: lb.scheme().map(str::to_owned),
        listeners: lb
            .listener_descriptions()
            .iter()
            .filter_map(|d| d.listener())
            .map(|l| ClassicListener {
                port: l.load_balancer_port(),
                protocol: l.protocol().to_owned(),
                instance_protocol: l.instance_protocol().map(str::to_owned),
            })
            .collect(),
    }
}

/// Every load balancer source the checks read, for one region.
pub async fn collect(c: &RegionClients) -> ElbSnapshot {
    let region = c.region.as_str();
    let (load_balancers, classic_load_balancers) = tokio::join!(
        async {
            let listed = c
                .limiter
                .run(
                    c.elbv2
                        .describe_load_balancers()
                        .into_paginator()
                        .items()
                        .send()
                        .try_collect(),
                )
                .await;
            let listed = match source(listed, "elbv2", "DescribeLoadBalancers", region, |l| l) {
                Source::Collected(list) => list,
                Source::Failed(failure) => return Source::Failed(failure),
            };
            let mut balancers = join_all(listed.iter().map(|lb: &v2::LoadBalancer| async move {
                let arn = lb.load_balancer_arn().unwrap_or_default();
                let listeners = c
                    .limiter
                    .run(
                        c.elbv2
                            .describe_listeners()
                            .load_balancer_arn(arn)
                            .into_paginator()
                            .items()
                            .send()
                            .try_collect(),
                    )
                    .await;
                LoadBalancerV2 {
                    arn: arn.to_owned(),
                    name: lb.load_balancer_name().unwrap_or_default().to_owned(),
                    lb_type: lb
                        .r#type()
                        .map(|t| t.as_str().to_owned())
                        .unwrap_or_default(),
                    scheme: lb.scheme().map(|s| s.as_str().to_owned()),
                    listeners: source(
                        listeners,
                        "elbv2",
                        "DescribeListeners",
                        region,
                        |list: Vec<v2::Listener>| {
                            let mut list: Vec<ListenerV2> =
                                list.iter().map(listener_from).collect();
                            list.sort_by(|a, b| a.arn.cmp(&b.arn));
                            list
                        },
                    ),
                }
            }))
            .await;
            balancers.sort_by(|a, b| a.arn.cmp(&b.arn));
            Source::Collected(balancers)
        },
        all_items!(
            c.limiter,
            c.elb.describe_load_balancers(),
            "elb",
            "DescribeLoadBalancers",
            region,
            classic_from,
            |lb| &lb.name
        ),
    );
    // Policies matter only for HTTPS/TLS listeners: skip the call when there are none.
    let needs_policies = match &load_balancers {
        Source::Collected(lbs) => lbs.iter().any(|lb| match &lb.listeners {
            Source::Collected(ls) => ls
                .iter()
                .any(|l| l.protocol == "HTTPS" || l.protocol == "TLS"),
            Source::Failed(_) => false,
        }),
        Source::Failed(_) => false,
    };
    let ssl_policies = if let Source::Failed(failure) = &load_balancers {
        // Unknown whether any listener needs them: not "none needed".
        Source::Failed(failure.clone())
    } else if needs_policies {
        let r = c.limiter.run(c.elbv2.describe_ssl_policies().send()).await;
        source(r, "elbv2", "DescribeSSLPolicies", region, |out| {
            let mut policies: Vec<SslPolicy> = out
                .ssl_policies()
                .iter()
                .map(|p| SslPolicy {
                    name: p.name().unwrap_or_default().to_owned(),
                    protocols: p.ssl_protocols().to_vec(),
                })
                .collect();
            policies.sort_by(|a, b| a.name.cmp(&b.name));
            policies
        })
    } else {
        Source::Collected(Vec::new())
    };
    ElbSnapshot {
        load_balancers,
        ssl_policies,
        classic_load_balancers,
    }
}
