//! vpc-nacl-world-admin-ports: no network ACL lets the internet reach admin or database ports.

use std::collections::BTreeMap;

use serde_json::json;

use super::{ec2_resource, is_world, listed, ADMIN_PORTS, DB_PORTS, NETWORK_ACL_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::{NaclEntry, NetworkAcl};

/// The check: for traffic from any internet address to 22, 3389 or a DB port, the first matching
/// ingress entry denies it.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "vpc-nacl-world-admin-ports",
    title: "Network ACLs do not admit the internet to admin or database ports",
    severity: Severity::High,
    hipaa: &["164.312(e)(1)"],
    baa: BaaRule::AccessControl,
    resource_types: &[NETWORK_ACL_TYPE],
    requirement: "No network ACL may allow inbound TCP from 0.0.0.0/0 or ::/0 to 22, 3389 or a \
        database port (1433, 1521, 3306, 5432, 5439, 6379, 27017, 9200). Entries are evaluated \
        in rule-number order and the first match decides, so a lower-numbered deny protects the \
        port even when a later entry allows it; for traffic from an arbitrary internet address \
        only entries for 0.0.0.0/0 (IPv4) or ::/0 (IPv6) can match. The NACL is the subnet-level \
        second line behind security groups: it keeps a database port closed even if someone \
        opens it on a security group by mistake (seed 004: deny 3306 to the internet; seed 002).",
    evidence: &["ec2:DescribeNetworkAcls Entries"],
    remediation: Remediation {
        summary: "Add low-numbered inbound deny entries for 0.0.0.0/0 and ::/0 on the admin and database ports, or remove the allow entries.",
        console: "VPC > Network ACLs > select the ACL > Inbound rules > Edit inbound rules > Add new \
            rule with a number lower than the allow rule: Type Custom TCP, Port range 22 (repeat \
            for 3389 and the database ports), Source 0.0.0.0/0 (and ::/0), Allow/Deny = Deny > Save changes.",
        cli: "aws ec2 create-network-acl-entry --network-acl-id <id> --ingress --rule-number 50 --protocol tcp --port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action deny\n\
              aws ec2 create-network-acl-entry --network-acl-id <id> --ingress --rule-number 51 --protocol tcp --port-range From=22,To=22 --ipv6-cidr-block ::/0 --rule-action deny\n\
              aws ec2 delete-network-acl-entry --network-acl-id <id> --ingress --rule-number <allow-rule>",
        cloudformation: "AWS::EC2::NetworkAclEntry: Egress: false, RuleAction: deny, Protocol: 6, \
            CidrBlock: 0.0.0.0/0 (Ipv6CidrBlock: ::/0), PortRange: {From: 22, To: 22}, RuleNumber \
            below any allow entry",
    },
    seeds: &["seed 002", "seed 004"],
    source_file: file!(),
};

/// An address family and its world CIDR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Family {
    V4,
    V6,
}

impl Family {
    fn world(self) -> &'static str {
        match self {
            Family::V4 => "0.0.0.0/0",
            Family::V6 => "::/0",
        }
    }

    /// True when the entry's CIDR of this family covers every address.
    fn matches(self, entry: &NaclEntry) -> bool {
        let cidr = match self {
            Family::V4 => entry.cidr_block.as_deref(),
            Family::V6 => entry.ipv6_cidr_block.as_deref(),
        };
        cidr.is_some_and(is_world)
    }
}

/// True when the entry applies to TCP traffic to `port`.
fn matches_tcp_port(entry: &NaclEntry, port: u16) -> bool {
    match entry.protocol.trim().to_ascii_lowercase().as_str() {
        "-1" | "all" => true,
        "6" | "tcp" => match (entry.from_port, entry.to_port) {
            (Some(from), Some(to)) => from <= i32::from(port) && i32::from(port) <= to,
            _ => true,
        },
        _ => false,
    }
}

/// The first ingress entry (lowest rule number) that matches TCP from any `family` address to
/// `port`.
fn first_match<'a>(ingress: &[&'a NaclEntry], family: Family, port: u16) -> Option<&'a NaclEntry> {
    ingress
        .iter()
        .copied()
        .find(|e| family.matches(e) && matches_tcp_port(e, port))
}

/// What a matching entry's RuleAction means for the traffic it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Allow,
    Deny,
    /// Neither `allow` nor `deny`: the snapshot cannot say what the entry does.
    Unknown,
}

fn action(entry: &NaclEntry) -> Action {
    let action = entry.rule_action.trim();
    if action.eq_ignore_ascii_case("allow") {
        Action::Allow
    } else if action.eq_ignore_ascii_case("deny") {
        Action::Deny
    } else {
        Action::Unknown
    }
}

fn grade(acl: &NetworkAcl) -> Verdict {
    let mut ingress: Vec<&NaclEntry> = acl.entries.iter().filter(|e| !e.egress).collect();
    ingress.sort_by_key(|e| e.rule_number);
    // (family, allowing rule) -> ports it exposes.
    let mut exposed: BTreeMap<(Family, i32), Vec<u16>> = BTreeMap::new();
    // (family, rule with an unrecognised action, that action) -> ports it decides.
    let mut undecided: BTreeMap<(Family, i32, String), Vec<u16>> = BTreeMap::new();
    let mut decisions = Vec::new();
    for family in [Family::V4, Family::V6] {
        for port in ADMIN_PORTS.iter().chain(DB_PORTS).copied() {
            let decided_by = first_match(&ingress, family, port);
            if let Some(entry) = decided_by {
                match action(entry) {
                    Action::Allow => exposed
                        .entry((family, entry.rule_number))
                        .or_default()
                        .push(port),
                    Action::Unknown => undecided
                        .entry((family, entry.rule_number, entry.rule_action.clone()))
                        .or_default()
                        .push(port),
                    Action::Deny => {}
                }
            }
            decisions.push(json!({
                "Source": family.world(),
                "Port": port,
                "RuleNumber": decided_by.map(|e| e.rule_number),
                "RuleAction": decided_by.map_or("deny (no matching entry)", |e| e.rule_action.as_str()),
            }));
        }
    }
    let mut evidence = json!({
        "NetworkAclId": acl.id,
        "VpcId": acl.vpc_id,
        "IsDefault": acl.is_default,
        "SubnetIds": acl.subnet_ids,
        "Decisions": decisions,
    });
    if !undecided.is_empty() {
        evidence["UnrecognisedActionEntries"] = undecided
            .iter()
            .map(|((family, rule, action), ports)| {
                json!({ "Source": family.world(), "RuleNumber": rule, "RuleAction": action, "Ports": ports })
            })
            .collect();
    }
    let subnets = if acl.subnet_ids.is_empty() {
        "no subnets".to_owned()
    } else {
        acl.subnet_ids.join(", ")
    };
    let undecided_parts: Vec<String> = undecided
        .iter()
        .map(|((family, rule, action), ports)| {
            let ports: Vec<String> = ports.iter().map(u16::to_string).collect();
            format!(
                "rule {rule} (action {action:?}) for {} from {}",
                ports.join(", "),
                family.world()
            )
        })
        .collect();
    if !exposed.is_empty() {
        let parts: Vec<String> = exposed
            .iter()
            .map(|((family, rule), ports)| {
                let ports: Vec<String> = ports.iter().map(u16::to_string).collect();
                format!("{} from {} (rule {rule})", ports.join(", "), family.world())
            })
            .collect();
        let also = if undecided_parts.is_empty() {
            String::new()
        } else {
            format!(
                "; entries with an unrecognised action also match: {}",
                undecided_parts.join("; ")
            )
        };
        Verdict::fail(
            format!(
                "network ACL {} (subnets: {subnets}) allows the internet in on {}; add \
                 lower-numbered deny entries{also}",
                acl.id,
                parts.join("; ")
            ),
            evidence,
        )
    } else if !undecided_parts.is_empty() {
        Verdict::manual(
            format!(
                "network ACL {} (subnets: {subnets}): the first matching ingress entry for \
                 internet traffic has a rule action that is neither allow nor deny: {}; check \
                 in the console what these entries do",
                acl.id,
                undecided_parts.join("; ")
            ),
            evidence,
        )
    } else {
        Verdict::pass(
            format!(
                "network ACL {} (subnets: {subnets}) lets no internet traffic reach the admin or \
                 database ports",
                acl.id
            ),
            evidence,
        )
    }
}

fn run(ctx: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (region_name, region) in &ctx.snapshot.regions {
        let Some(acls) = listed(
            ctx,
            &META,
            region_name,
            &region.ec2.network_acls,
            "the network ACL list",
            &mut findings,
        ) else {
            continue;
        };
        for acl in acls {
            let resource = ec2_resource(ctx, region_name, NETWORK_ACL_TYPE, "network-acl", &acl.id);
            findings.push(META.finding(ctx, region_name, &resource, grade(acl)));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::network::fixtures::*;
    use crate::snapshot::{RegionSnapshot, Source};

    fn with_acl(entries: Vec<NaclEntry>) -> RegionSnapshot {
        let mut region = compliant_region();
        region.ec2.network_acls = Source::Collected(vec![nacl("acl-x", entries)]);
        region
    }

    fn status(entries: Vec<NaclEntry>) -> Status {
        status_of(&evaluate(&CHECK, with_acl(entries)), "acl-x")
    }

    #[test]
    fn pass_for_compliant_acl_with_arn() {
        let findings = evaluate(&CHECK, compliant_region());
        let finding = finding_for(&findings, "acl-web");
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert_eq!(finding.resource_type, "AWS::EC2::NetworkAcl");
        assert_eq!(
            finding.resource_arn.as_deref(),
            Some("arn:aws:ec2:us-east-1:111122223333:network-acl/acl-web")
        );
        // Only the implicit denies.
        assert_eq!(status(vec![]), Status::Pass);
    }

    #[test]
    fn fail_on_ipv4_allow_naming_port_and_rule() {
        let findings = evaluate(
            &CHECK,
            with_acl(vec![nacl_entry(
                100,
                "6",
                "allow",
                "0.0.0.0/0",
                Some((22, 22)),
            )]),
        );
        let finding = finding_for(&findings, "acl-x");
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("22 from 0.0.0.0/0 (rule 100)"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn fail_on_ipv6_allow() {
        let findings = evaluate(
            &CHECK,
            with_acl(vec![nacl_entry(
                100,
                "6",
                "allow",
                "::/0",
                Some((3389, 3389)),
            )]),
        );
        let finding = finding_for(&findings, "acl-x");
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("3389 from ::/0"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn fail_on_db_port() {
        assert_eq!(
            status(vec![nacl_entry(
                100,
                "6",
                "allow",
                "0.0.0.0/0",
                Some((3306, 3306))
            )]),
            Status::Fail
        );
    }

    #[test]
    fn fail_on_all_traffic_allow() {
        assert_eq!(
            status(vec![nacl_entry(100, "-1", "allow", "0.0.0.0/0", None)]),
            Status::Fail
        );
    }

    #[test]
    fn fail_on_range_containing_the_port() {
        let findings = evaluate(
            &CHECK,
            with_acl(vec![nacl_entry(
                100,
                "6",
                "allow",
                "0.0.0.0/0",
                Some((3000, 4000)),
            )]),
        );
        let message = &finding_for(&findings, "acl-x").message;
        assert!(message.contains("3389, 3306"), "{message}");
        assert_eq!(
            status(vec![nacl_entry(
                100,
                "6",
                "allow",
                "0.0.0.0/0",
                Some((0, 65535))
            )]),
            Status::Fail
        );
    }

    #[test]
    fn lower_numbered_deny_shadows_later_allow() {
        let mut entries: Vec<NaclEntry> = ADMIN_PORTS
            .iter()
            .chain(DB_PORTS)
            .enumerate()
            .flat_map(|(i, port)| {
                let port = i32::from(*port);
                let rule = 10 + i32::try_from(i).unwrap_or(0) * 2;
                [
                    nacl_entry(rule, "6", "deny", "0.0.0.0/0", Some((port, port))),
                    nacl_entry(rule + 1, "6", "deny", "::/0", Some((port, port))),
                ]
            })
            .collect();
        entries.push(nacl_entry(100, "-1", "allow", "0.0.0.0/0", None));
        entries.push(nacl_entry(101, "-1", "allow", "::/0", None));
        assert_eq!(status(entries), Status::Pass);
    }

    #[test]
    fn order_is_by_rule_number_not_listing_order() {
        // The allow is listed first but numbered after the deny.
        assert_eq!(
            status(vec![
                nacl_entry(200, "-1", "allow", "0.0.0.0/0", None),
                nacl_entry(100, "-1", "deny", "0.0.0.0/0", None),
            ]),
            Status::Pass
        );
    }

    #[test]
    fn allow_before_deny_fails() {
        assert_eq!(
            status(vec![
                nacl_entry(100, "6", "allow", "0.0.0.0/0", Some((22, 22))),
                nacl_entry(200, "6", "deny", "0.0.0.0/0", Some((22, 22))),
            ]),
            Status::Fail
        );
    }

    #[test]
    fn deny_for_one_port_leaves_the_others_exposed() {
        let findings = evaluate(
            &CHECK,
            with_acl(vec![
                nacl_entry(50, "6", "deny", "0.0.0.0/0", Some((22, 22))),
                nacl_entry(100, "-1", "allow", "0.0.0.0/0", None),
            ]),
        );
        let message = &finding_for(&findings, "acl-x").message;
        assert!(message.contains("3389"), "{message}");
        assert!(!message.contains(" 22,"), "{message}");
    }

    #[test]
    fn ipv4_deny_does_not_protect_ipv6() {
        assert_eq!(
            status(vec![
                nacl_entry(50, "-1", "deny", "0.0.0.0/0", None),
                nacl_entry(100, "-1", "allow", "::/0", None),
            ]),
            Status::Fail
        );
    }

    #[test]
    fn non_world_cidrs_do_not_match() {
        // A narrower deny cannot shield internet traffic, and a narrower allow does not admit it.
        assert_eq!(
            status(vec![nacl_entry(
                100,
                "6",
                "allow",
                "10.0.0.0/8",
                Some((22, 22))
            )]),
            Status::Pass
        );
        assert_eq!(
            status(vec![
                nacl_entry(50, "-1", "deny", "203.0.113.0/24", None),
                nacl_entry(100, "6", "allow", "0.0.0.0/0", Some((22, 22))),
            ]),
            Status::Fail
        );
    }

    #[test]
    fn egress_entries_are_ignored() {
        let egress_allow = NaclEntry {
            egress: true,
            ..nacl_entry(100, "-1", "allow", "0.0.0.0/0", None)
        };
        assert_eq!(status(vec![egress_allow]), Status::Pass);
    }

    #[test]
    fn udp_and_icmp_entries_do_not_match_tcp() {
        assert_eq!(
            status(vec![
                nacl_entry(100, "17", "allow", "0.0.0.0/0", Some((0, 65535))),
                nacl_entry(110, "1", "allow", "0.0.0.0/0", None),
            ]),
            Status::Pass
        );
        // ... nor shadow a later TCP allow.
        assert_eq!(
            status(vec![
                nacl_entry(50, "17", "deny", "0.0.0.0/0", Some((22, 22))),
                nacl_entry(100, "6", "allow", "0.0.0.0/0", Some((22, 22))),
            ]),
            Status::Fail
        );
    }

    #[test]
    fn manual_when_matching_entry_has_unrecognised_action() {
        let findings = evaluate(
            &CHECK,
            with_acl(vec![nacl_entry(
                100,
                "6",
                "reject",
                "0.0.0.0/0",
                Some((22, 22)),
            )]),
        );
        let finding = finding_for(&findings, "acl-x");
        assert_eq!(finding.status, Status::Manual, "{}", finding.message);
        assert!(finding.message.contains("rule 100"), "{}", finding.message);
        // An unrecognised action is not a deny: it does not shield a later allow either.
        let findings = evaluate(
            &CHECK,
            with_acl(vec![
                nacl_entry(50, "-1", "", "0.0.0.0/0", None),
                nacl_entry(100, "6", "allow", "0.0.0.0/0", Some((22, 22))),
            ]),
        );
        let finding = finding_for(&findings, "acl-x");
        assert_eq!(finding.status, Status::Manual, "{}", finding.message);
        assert!(finding.message.contains("rule 50"), "{}", finding.message);
    }

    #[test]
    fn actions_are_case_insensitive_and_earlier_allow_still_fails() {
        assert_eq!(
            status(vec![nacl_entry(100, "-1", "DENY", "0.0.0.0/0", None)]),
            Status::Pass
        );
        assert_eq!(
            status(vec![nacl_entry(
                100,
                "6",
                "Allow",
                "0.0.0.0/0",
                Some((22, 22))
            )]),
            Status::Fail
        );
        // The allow at 50 decides port 22 before the odd entry at 100 is reached.
        let findings = evaluate(
            &CHECK,
            with_acl(vec![
                nacl_entry(50, "6", "allow", "0.0.0.0/0", Some((22, 22))),
                nacl_entry(100, "-1", "maybe", "0.0.0.0/0", None),
            ]),
        );
        let finding = finding_for(&findings, "acl-x");
        assert_eq!(finding.status, Status::Fail, "{}", finding.message);
        assert!(finding.message.contains("rule 50"), "{}", finding.message);
    }

    #[test]
    fn unrecognised_action_on_non_matching_entry_is_ignored() {
        assert_eq!(
            status(vec![
                nacl_entry(50, "17", "weird", "0.0.0.0/0", Some((22, 22))),
                nacl_entry(60, "6", "weird", "10.0.0.0/8", Some((22, 22))),
            ]),
            Status::Pass
        );
    }

    #[test]
    fn error_when_acls_unreadable() {
        let mut region = compliant_region();
        region.ec2.network_acls = Source::Failed(ec2_failure("DescribeNetworkAcls"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Error);
        assert_eq!(findings[0].resource_type, "AWS::::Region");
    }
}
