//! elb-listener-tls: every load balancer listener encrypts, or only redirects to HTTPS.

use super::{
    classic_evidence, describe_listener, grade_classic_listeners, grade_v2_listeners,
    listener_evidence, protocol_is, terminates_tls, CLASSIC_TYPE, LISTENER_TYPE,
    LOAD_BALANCER_V2_TYPE,
};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::{ClassicListener, ClassicLoadBalancer, ListenerV2, LoadBalancerV2};

/// The check: HTTPS/TLS (Classic: HTTPS/SSL) listeners, HTTP only as a redirect to HTTPS.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "elb-listener-tls",
    title: "Load balancer listeners use HTTPS/TLS or redirect HTTP to HTTPS",
    severity: Severity::High,
    hipaa: &["164.312(e)(1)"],
    baa: BaaRule::EncryptInTransit,
    resource_types: &[LISTENER_TYPE, CLASSIC_TYPE, LOAD_BALANCER_V2_TYPE],
    requirement: "The load balancer is where PHI enters from networks nobody controls, and the BAA \
        requires PHI to be encrypted in transit: every listener must terminate HTTPS/TLS with a \
        CA-signed certificate (seed 002), or be an HTTP listener whose default action only \
        redirects to HTTPS. ELBv2 HTTPS/TLS and Classic HTTPS/SSL listeners pass; plain HTTP \
        fails. TCP/UDP listeners forward raw bytes, so whether the traffic is encrypted depends \
        on the targets (manual); Gateway Load Balancer GENEVE listeners carry traffic \
        transparently and are not applicable. Listener rules other than the default action are \
        not graded.",
    evidence: &[
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeListeners Protocol, DefaultActions[].RedirectConfig.Protocol",
        "elasticloadbalancing:DescribeLoadBalancers (Classic) ListenerDescriptions[].Listener.Protocol",
    ],
    remediation: Remediation {
        summary: "Serve HTTPS/TLS with an ACM certificate, or make HTTP listeners redirect to HTTPS.",
        console: "EC2 > Load Balancers > select the load balancer > Listeners > Add listener: HTTPS:443 \
            with an ACM certificate and policy ELBSecurityPolicy-TLS13-1-2-2021-06; then select the \
            HTTP listener > Edit > Default action: Redirect to URL, protocol HTTPS, port 443, 301. \
            Classic: Listeners > Edit > change HTTP to HTTPS with a certificate.",
        cli: "aws elbv2 create-listener --load-balancer-arn <lb-arn> --protocol HTTPS --port 443 \
              --certificates CertificateArn=<acm-cert-arn> --ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06 \
              --default-actions Type=forward,TargetGroupArn=<tg-arn>\n\
              aws elbv2 modify-listener --listener-arn <id> \
              --default-actions 'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}'\n\
              Classic: aws elb create-load-balancer-listeners --load-balancer-name <name> \
              --listeners Protocol=HTTPS,LoadBalancerPort=443,InstanceProtocol=HTTPS,InstancePort=443,SSLCertificateId=<acm-cert-arn>\n\
              aws elb delete-load-balancer-listeners --load-balancer-name <name> --load-balancer-ports 80",
        cloudformation: "AWS::ElasticLoadBalancingV2::Listener: Protocol: HTTPS, Certificates: [{CertificateArn}], \
            SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06; HTTP listener DefaultActions: \
            [{Type: redirect, RedirectConfig: {Protocol: HTTPS, Port: '443', StatusCode: HTTP_301}}]",
    },
    seeds: &["seed 002", "seed 003"],
    source_file: file!(),
};

/// True when one of the listener's default actions redirects to HTTPS.
fn redirects_to_https(listener: &ListenerV2) -> bool {
    listener.default_actions.iter().any(|a| {
        a.action_type.eq_ignore_ascii_case("redirect")
            && a.redirect_protocol
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case("HTTPS"))
    })
}

fn grade_v2(lb: &LoadBalancerV2, listener: &ListenerV2) -> Verdict {
    let subject = describe_listener(lb, listener);
    let evidence = listener_evidence(lb, listener);
    let protocol = listener.protocol.as_str();
    if terminates_tls(listener) {
        Verdict::pass(format!("{subject} terminates {protocol}"), evidence)
    } else if protocol_is(protocol, &["HTTP"]) {
        if redirects_to_https(listener) {
            Verdict::pass(
                format!("{subject} only redirects to HTTPS (default action)"),
                evidence,
            )
        } else {
            Verdict::fail(
                format!(
                    "{subject} serves plaintext HTTP; switch it to HTTPS or make its default \
                     action a redirect to HTTPS"
                ),
                evidence,
            )
        }
    } else if protocol_is(protocol, &["TCP", "UDP", "TCP_UDP"]) {
        Verdict::manual(
            format!("{subject} forwards raw {protocol}; confirm the targets terminate TLS"),
            evidence,
        )
    } else if protocol_is(protocol, &["GENEVE"]) {
        Verdict::not_applicable(
            format!(
                "{subject} is a Gateway Load Balancer GENEVE listener that forwards traffic \
                 transparently to appliances; encryption is the traffic's own"
            ),
            evidence,
        )
    } else {
        Verdict::manual(
            format!(
                "{subject} uses protocol `{protocol}`, which this tool does not know; check by \
                 hand that it is encrypted"
            ),
            evidence,
        )
    }
}

fn grade_classic(lb: &ClassicLoadBalancer, listener: &ClassicListener) -> Verdict {
    let protocol = listener.protocol.as_str();
    let subject = format!(
        "Classic load balancer {} listener {protocol}:{}",
        lb.name, listener.port
    );
    let evidence = classic_evidence(lb, listener);
    if protocol_is(protocol, &["HTTPS", "SSL"]) {
        let back_end = listener
            .instance_protocol
            .as_deref()
            .map(|p| format!(" (back end: {p})"))
            .unwrap_or_default();
        Verdict::pass(
            format!("{subject} terminates {protocol}{back_end}"),
            evidence,
        )
    } else if protocol_is(protocol, &["HTTP"]) {
        Verdict::fail(
            format!(
                "{subject} serves plaintext HTTP; replace it with an HTTPS listener (Classic \
                 load balancers cannot redirect, so consider migrating to an ALB)"
            ),
            evidence,
        )
    } else if protocol_is(protocol, &["TCP"]) {
        Verdict::manual(
            format!("{subject} forwards raw TCP; confirm the targets terminate TLS"),
            evidence,
        )
    } else {
        Verdict::manual(
            format!(
                "{subject} uses protocol `{protocol}`, which this tool does not know; check by \
                 hand that it is encrypted"
            ),
            evidence,
        )
    }
}

fn run(ctx: &Context) -> Vec<Finding> {
    let mut findings =
        grade_v2_listeners(ctx, &META, |lb, listener, _| Some(grade_v2(lb, listener)));
    findings.extend(grade_classic_listeners(ctx, &META, grade_classic));
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::elb::fixtures::*;
    use crate::finding::Status;
    use crate::snapshot::{ClassicLoadBalancer, Source};

    fn with_listeners(listeners: Vec<ListenerV2>) -> crate::snapshot::RegionSnapshot {
        let mut region = compliant_region();
        region.elb.load_balancers =
            Source::Collected(vec![load_balancer("web", "application", listeners)]);
        region
    }

    #[test]
    fn pass_on_https_tls_redirect_and_classic_https_ssl() {
        let findings = evaluate(&CHECK, compliant_region());
        assert_eq!(findings.len(), 5, "{findings:#?}");
        assert_eq!(
            status_of(&findings, &listener_arn("web", "https")),
            Status::Pass
        );
        assert_eq!(
            status_of(&findings, &listener_arn("web", "http")),
            Status::Pass
        );
        assert_eq!(
            status_of(&findings, &listener_arn("api", "tls")),
            Status::Pass
        );
        let classic = finding_for(&findings, "legacy:443");
        assert_eq!(classic.status, Status::Pass);
        assert_eq!(classic.resource_type, CLASSIC_TYPE);
        assert_eq!(
            classic.resource_arn.as_deref(),
            Some("arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/legacy")
        );
        assert_eq!(status_of(&findings, "legacy:8443"), Status::Pass);
        let https = finding_for(&findings, &listener_arn("web", "https"));
        assert_eq!(https.resource_type, LISTENER_TYPE);
        assert_eq!(
            https.resource_arn.as_deref(),
            Some(https.resource_id.as_str())
        );
    }

    #[test]
    fn plain_http_fails() {
        let findings = evaluate(
            &CHECK,
            with_listeners(vec![listener("web", "http", "HTTP", 80)]),
        );
        let finding = finding_for(&findings, &listener_arn("web", "http"));
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("plaintext HTTP"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn http_redirect_must_go_to_https() {
        let keep_protocol = ListenerV2 {
            default_actions: vec![action("redirect", Some("#{protocol}"))],
            ..listener("web", "same", "HTTP", 80)
        };
        let to_http = ListenerV2 {
            default_actions: vec![action("redirect", Some("HTTP"))],
            ..listener("web", "plain", "HTTP", 8080)
        };
        let fixed = ListenerV2 {
            default_actions: vec![action("fixed-response", None)],
            ..listener("web", "fixed", "HTTP", 81)
        };
        // A redirect protocol on a non-redirect action does not count.
        let mislabeled = ListenerV2 {
            default_actions: vec![action("forward", Some("HTTPS"))],
            ..listener("web", "odd", "HTTP", 82)
        };
        let lower_case = ListenerV2 {
            default_actions: vec![action("redirect", Some("https"))],
            ..listener("web", "lower", "HTTP", 83)
        };
        let findings = evaluate(
            &CHECK,
            with_listeners(vec![keep_protocol, to_http, fixed, mislabeled, lower_case]),
        );
        for name in ["same", "plain", "fixed", "odd"] {
            assert_eq!(
                status_of(&findings, &listener_arn("web", name)),
                Status::Fail,
                "{name}"
            );
        }
        assert_eq!(
            status_of(&findings, &listener_arn("web", "lower")),
            Status::Pass
        );
    }

    #[test]
    fn raw_tcp_udp_is_manual_and_geneve_not_applicable() {
        let mut region = with_listeners(vec![
            listener("web", "tcp", "TCP", 5432),
            listener("web", "udp", "UDP", 53),
            listener("web", "both", "TCP_UDP", 5060),
            listener("web", "geneve", "GENEVE", 6081),
            listener("web", "odd", "QUIC", 443),
        ]);
        region.elb.classic_load_balancers = Source::Collected(vec![ClassicLoadBalancer {
            name: "legacy".into(),
            scheme: None,
            listeners: vec![classic_listener("TCP", 3306, "TCP")],
        }]);
        let findings = evaluate(&CHECK, region);
        for name in ["tcp", "udp", "both", "odd"] {
            assert_eq!(
                status_of(&findings, &listener_arn("web", name)),
                Status::Manual,
                "{name}"
            );
        }
        let tcp = finding_for(&findings, &listener_arn("web", "tcp"));
        assert!(
            tcp.message.contains("confirm the targets terminate TLS"),
            "{}",
            tcp.message
        );
        assert_eq!(
            status_of(&findings, &listener_arn("web", "geneve")),
            Status::NotApplicable
        );
        assert_eq!(status_of(&findings, "legacy:3306"), Status::Manual);
    }

    #[test]
    fn classic_http_fails() {
        let mut region = compliant_region();
        region.elb.classic_load_balancers = Source::Collected(vec![ClassicLoadBalancer {
            name: "legacy".into(),
            scheme: None,
            listeners: vec![
                classic_listener("HTTP", 80, "HTTP"),
                classic_listener("HTTPS", 443, "HTTP"),
            ],
        }]);
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, "legacy:80"), Status::Fail);
        let https = finding_for(&findings, "legacy:443");
        assert_eq!(https.status, Status::Pass);
        assert!(
            https.message.contains("back end: HTTP"),
            "{}",
            https.message
        );
    }

    #[test]
    fn unreadable_listeners_are_an_error_for_that_load_balancer() {
        let mut region = compliant_region();
        let mut lb = load_balancer("web", "application", vec![]);
        lb.listeners = Source::Failed(failure("DescribeListeners"));
        let lb_arn = lb.arn.clone();
        region.elb.load_balancers = Source::Collected(vec![
            lb,
            load_balancer("api", "network", vec![listener("api", "tls", "TLS", 443)]),
        ]);
        let findings = evaluate(&CHECK, region);
        let error = finding_for(&findings, &lb_arn);
        assert_eq!(error.status, Status::Error);
        assert_eq!(error.resource_type, LOAD_BALANCER_V2_TYPE);
        assert!(
            error.message.contains("DescribeListeners"),
            "{}",
            error.message
        );
        assert_eq!(
            status_of(&findings, &listener_arn("api", "tls")),
            Status::Pass
        );
    }

    #[test]
    fn unreadable_lists_are_region_errors() {
        let mut region = compliant_region();
        region.elb.load_balancers = Source::Failed(failure("DescribeLoadBalancers"));
        region.elb.classic_load_balancers = Source::Failed(failure("DescribeLoadBalancers"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 2, "{findings:#?}");
        for finding in &findings {
            assert_eq!(finding.status, Status::Error);
            assert_eq!(finding.resource_id, REGION);
            assert_eq!(finding.resource_type, "AWS::::Region");
        }
    }

    #[test]
    fn no_load_balancers_no_findings() {
        let mut region = compliant_region();
        region.elb.load_balancers = Source::Collected(vec![]);
        region.elb.classic_load_balancers = Source::Collected(vec![]);
        assert!(evaluate(&CHECK, region).is_empty());
    }
}
