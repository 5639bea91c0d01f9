//! elb-tls-policy: every ELBv2 HTTPS/TLS listener's policy allows nothing below TLS 1.2.

use serde_json::json;

use super::{
    describe_listener, grade_v2_listeners, listener_evidence, terminates_tls, LISTENER_TYPE,
    LOAD_BALANCER_V2_TYPE,
};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::config::TlsVersion;
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::{ListenerV2, LoadBalancerV2, RegionSnapshot, Source};

/// The check: the protocols the listener's SslPolicy allows are all TLS 1.2 or newer.
pub const CHECK: Check = Check { meta: META, run };

/// The oldest protocol a load balancer may negotiate (the spec fixes it; not `min_tls`).
const MINIMUM: TlsVersion = TlsVersion::Tls1_2;

const META: CheckMeta = CheckMeta {
    id: "elb-tls-policy",
    title: "HTTPS/TLS listeners use a policy that allows only TLS 1.2 or newer",
    severity: Severity::Medium,
    hipaa: &["164.312(e)(2)(ii)"],
    baa: BaaRule::EncryptInTransit,
    resource_types: &[LISTENER_TYPE, LOAD_BALANCER_V2_TYPE],
    requirement: "Encryption in transit must use protocols without known weaknesses: SSLv3, TLS 1.0 \
        and 1.1 are deprecated (RFC 7568, RFC 8996). Each ELBv2 HTTPS/TLS listener is graded on \
        the protocols its security policy allows, as DescribeSSLPolicies reports them, not on the \
        policy's name: any protocol below TLS 1.2 fails. A policy the listing does not contain \
        cannot be judged (manual). Other listeners, and Classic load balancers, are not graded \
        here.",
    evidence: &[
        "elasticloadbalancing:DescribeListeners Protocol, SslPolicy",
        "elasticloadbalancing:DescribeSSLPolicies SslProtocols",
    ],
    remediation: Remediation {
        summary: "Use a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06.",
        console: "EC2 > Load Balancers > select the load balancer > Listeners > select the HTTPS/TLS \
            listener > Edit > Secure listener settings > Security policy: \
            ELBSecurityPolicy-TLS13-1-2-2021-06 (or a TLS13-1-2 FIPS policy) > Save.",
        cli: "aws elbv2 modify-listener --listener-arn <id> --ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06\n\
              aws elbv2 describe-ssl-policies --names ELBSecurityPolicy-TLS13-1-2-2021-06 \
              --query 'SslPolicies[].SslProtocols'",
        cloudformation: "AWS::ElasticLoadBalancingV2::Listener: SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06",
    },
    seeds: &["seed 002"],
    source_file: file!(),
};

fn grade(lb: &LoadBalancerV2, listener: &ListenerV2, region: &RegionSnapshot) -> Option<Verdict> {
    if !terminates_tls(listener) {
        return None;
    }
    let subject = describe_listener(lb, listener);
    let mut evidence = listener_evidence(lb, listener);
    let Some(name) = listener.ssl_policy.as_deref() else {
        return Some(Verdict::missing(
            format!("{subject} reports no SslPolicy, so its TLS versions are unknown"),
            evidence,
        ));
    };
    let policies = match &region.elb.ssl_policies {
        Source::Collected(policies) => policies,
        Source::Failed(failure) => {
            return Some(Verdict::error(
                &format!("the TLS policy list (needed for {name})"),
                failure,
            ))
        }
    };
    let Some(policy) = policies.iter().find(|p| p.name == name) else {
        return Some(Verdict::manual(
            format!(
                "{subject} uses policy {name}, which DescribeSSLPolicies did not list; check \
                 the protocols it allows by hand"
            ),
            evidence,
        ));
    };
    evidence["SslProtocols"] = json!(policy.protocols);
    let parsed: Vec<(&str, Option<TlsVersion>)> = policy
        .protocols
        .iter()
        .map(|p| (p.as_str(), TlsVersion::parse(p)))
        .collect();
    let weak: Vec<&str> = parsed
        .iter()
        .filter(|(_, v)| v.is_some_and(|v| v < MINIMUM))
        .map(|(p, _)| *p)
        .collect();
    let unknown: Vec<&str> = parsed
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(p, _)| *p)
        .collect();
    let allowed = policy.protocols.join(", ");
    Some(if !weak.is_empty() {
        Verdict::fail(
            format!(
                "{subject} uses policy {name}, which allows {}; switch to a policy that allows \
                 only {} or newer",
                weak.join(", "),
                MINIMUM.as_str()
            ),
            evidence,
        )
    } else if !unknown.is_empty() || parsed.is_empty() {
        Verdict::manual(
            format!(
                "{subject} uses policy {name}, whose protocols ({allowed}) include ones this \
                 tool does not know; check them by hand"
            ),
            evidence,
        )
    } else {
        Verdict::pass(
            format!("{subject} uses policy {name}, which allows only {allowed}"),
            evidence,
        )
    })
}

fn run(ctx: &Context) -> Vec<Finding> {
    grade_v2_listeners(ctx, &META, grade)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::elb::fixtures::*;
    use crate::finding::Status;
    use crate::snapshot::Source;

    fn region_with(policy_name: &str, protocols: &[&str]) -> RegionSnapshot {
        let mut region = compliant_region();
        region.elb.ssl_policies = Source::Collected(vec![policy(policy_name, protocols)]);
        let https = ListenerV2 {
            ssl_policy: Some(policy_name.into()),
            ..listener("web", "https", "HTTPS", 443)
        };
        region.elb.load_balancers =
            Source::Collected(vec![load_balancer("web", "application", vec![https])]);
        region
    }

    fn https_status(region: RegionSnapshot) -> Status {
        status_of(&evaluate(&CHECK, region), &listener_arn("web", "https"))
    }

    #[test]
    fn pass_on_modern_policies_and_only_tls_listeners_graded() {
        let findings = evaluate(&CHECK, compliant_region());
        // The ALB's HTTPS and the NLB's TLS listener; the HTTP redirect and Classic are skipped.
        assert_eq!(findings.len(), 2, "{findings:#?}");
        assert_eq!(
            status_of(&findings, &listener_arn("web", "https")),
            Status::Pass
        );
        assert_eq!(
            status_of(&findings, &listener_arn("api", "tls")),
            Status::Pass
        );
    }

    #[test]
    fn legacy_policy_fails_naming_the_weak_protocols() {
        let mut region = compliant_region();
        region.elb.load_balancers = Source::Collected(vec![load_balancer(
            "web",
            "application",
            vec![ListenerV2 {
                ssl_policy: Some(LEGACY_POLICY.into()),
                ..listener("web", "https", "HTTPS", 443)
            }],
        )]);
        let findings = evaluate(&CHECK, region);
        let finding = finding_for(&findings, &listener_arn("web", "https"));
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("TLSv1, TLSv1.1"),
            "{}",
            finding.message
        );
        assert!(!finding.message.contains("TLSv1.2,"), "{}", finding.message);
        assert_eq!(finding.evidence["SslProtocols"][0], "TLSv1");
    }

    #[test]
    fn judged_by_protocols_not_by_name() {
        // A modern-looking name that still allows TLS 1.0 fails.
        assert_eq!(
            https_status(region_with(
                "ELBSecurityPolicy-TLS13-1-2-2021-06",
                &["TLSv1", "TLSv1.2", "TLSv1.3"]
            )),
            Status::Fail
        );
        // An old-looking name that allows only TLS 1.2 passes.
        assert_eq!(
            https_status(region_with("ELBSecurityPolicy-2016-08", &["TLSv1.2"])),
            Status::Pass
        );
    }

    #[test]
    fn sslv3_and_tls11_fail() {
        assert_eq!(
            https_status(region_with("old-ssl", &["SSLv3", "TLSv1.2"])),
            Status::Fail
        );
        assert_eq!(
            https_status(region_with("tls11", &["TLSv1.1", "TLSv1.2"])),
            Status::Fail
        );
        assert_eq!(
            https_status(region_with("tls13-only", &["TLSv1.3"])),
            Status::Pass
        );
    }

    #[test]
    fn unknown_or_missing_protocols_are_manual() {
        assert_eq!(
            https_status(region_with("future", &["TLSv1.2", "TLSv2.0"])),
            Status::Manual
        );
        assert_eq!(https_status(region_with("empty", &[])), Status::Manual);
        // A weak protocol still fails even when an unknown one is listed beside it.
        assert_eq!(
            https_status(region_with("mixed", &["TLSv1", "TLSv2.0"])),
            Status::Fail
        );
    }

    #[test]
    fn policy_not_listed_is_manual() {
        let mut region = region_with("ELBSecurityPolicy-TLS13-1-2-2021-06", &["TLSv1.2"]);
        region.elb.ssl_policies = Source::Collected(vec![]);
        assert_eq!(https_status(region), Status::Manual);
    }

    #[test]
    fn error_when_policies_unreadable() {
        let mut region = compliant_region();
        region.elb.ssl_policies = Source::Failed(failure("DescribeSSLPolicies"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 2);
        assert!(findings.iter().all(|f| f.status == Status::Error));
    }

    #[test]
    fn error_when_policy_name_missing() {
        let mut region = compliant_region();
        region.elb.load_balancers = Source::Collected(vec![load_balancer(
            "web",
            "application",
            vec![ListenerV2 {
                ssl_policy: None,
                ..listener("web", "https", "HTTPS", 443)
            }],
        )]);
        assert_eq!(https_status(region), Status::Error);
    }

    #[test]
    fn error_when_listeners_or_load_balancers_unreadable() {
        let mut region = compliant_region();
        let mut lb = load_balancer("web", "application", vec![]);
        lb.listeners = Source::Failed(failure("DescribeListeners"));
        let lb_arn = lb.arn.clone();
        region.elb.load_balancers = Source::Collected(vec![lb]);
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 1);
        assert_eq!(status_of(&findings, &lb_arn), Status::Error);

        let mut region = compliant_region();
        region.elb.load_balancers = Source::Failed(failure("DescribeLoadBalancers"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 1);
        assert_eq!(status_of(&findings, REGION), Status::Error);
    }
}
