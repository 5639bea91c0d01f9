//! rds-instance-private-subnets: a DB instance's subnet group holds only private subnets.

use serde_json::json;

use super::{grade_instances, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::network::{internet_gateway_route, route_table_for_subnet};
use crate::snapshot::{DbInstance, RegionSnapshot, Source};

/// The check: no subnet of the instance's DB subnet group routes to an internet gateway.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-instance-private-subnets",
    title: "DB instance lives in private subnets only",
    severity: Severity::High,
    hipaa: &["164.312(e)(1)"],
    baa: BaaRule::AccessControl,
    resource_types: &[INSTANCE_TYPE],
    requirement: "Every subnet of the instance's DB subnet group must be private: the route table \
        that governs it (the one explicitly associated with the subnet, else the VPC's main \
        table) has no route to an internet gateway (igw-). A subnet group with a public subnet \
        lets RDS place the database, or a failover replica, where one PubliclyAccessible switch \
        or security group slip exposes PHI to the internet (seeds 002, 003, 004: databases in \
        private subnets reached only through the application tier). When the subnet group, \
        subnets or route tables cannot be read the finding is error, never pass.",
    evidence: &[
        "rds:DescribeDBInstances DBSubnetGroup",
        "rds:DescribeDBSubnetGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeRouteTables",
    ],
    remediation: Remediation {
        summary: "Use a DB subnet group made only of private subnets (no igw- route), or remove the internet gateway route from their route tables.",
        console: "RDS > Subnet groups > Create DB subnet group with private subnets in at least two \
            AZs; then RDS > Databases > the instance > Modify > Connectivity > DB subnet group > \
            choose it (or VPC > Subnets > the public subnet > Route table > Edit route table \
            association > a table without an igw- route).",
        cli: "aws rds create-db-subnet-group --db-subnet-group-name <private-group> --db-subnet-group-description private --subnet-ids <subnet-a> <subnet-b>\n\
              aws rds modify-db-instance --db-instance-identifier <id> --db-subnet-group-name <private-group> --apply-immediately\n\
              aws ec2 replace-route-table-association --association-id <rtbassoc-id> --route-table-id <private-rtb>",
        cloudformation: "AWS::RDS::DBSubnetGroup: SubnetIds: only subnets whose \
            AWS::EC2::SubnetRouteTableAssociation points at a route table without an \
            AWS::EC2::Route to an internet gateway; AWS::RDS::DBInstance: DBSubnetGroupName: !Ref it",
    },
    seeds: &["seed 002", "seed 003", "seed 004"],
    source_file: file!(),
};

fn grade(instance: &DbInstance, region: &RegionSnapshot) -> Verdict {
    let subject = format!("instance {}", instance.id);
    let Some(group_name) = instance.db_subnet_group.as_deref() else {
        return Verdict::missing(
            format!("{subject} reports no DB subnet group, so its subnets cannot be checked"),
            json!({ "DBSubnetGroup": null }),
        );
    };
    let groups = match &region.rds.subnet_groups {
        Source::Collected(groups) => groups,
        Source::Failed(failure) => {
            return Verdict::error(
                &format!("DB subnet group {group_name} (needed for {subject})"),
                failure,
            )
        }
    };
    let Some(group) = groups.iter().find(|g| g.name == group_name) else {
        return Verdict::missing(
            format!(
                "DB subnet group {group_name} of {subject} was not returned by \
                 DescribeDBSubnetGroups"
            ),
            json!({ "DBSubnetGroup": group_name }),
        );
    };
    if group.subnet_ids.is_empty() {
        return Verdict::missing(
            format!(
                "DB subnet group {group_name} of {subject} was returned with no subnets (AWS \
                 never returns a subnet group without subnets), so its subnets cannot be checked"
            ),
            json!({ "DBSubnetGroup": group_name, "VpcId": group.vpc_id, "SubnetIds": [] }),
        );
    }
    let subnets = match &region.ec2.subnets {
        Source::Collected(subnets) => subnets,
        Source::Failed(failure) => {
            return Verdict::error(
                &format!("the subnets of DB subnet group {group_name}"),
                failure,
            )
        }
    };
    let tables = match &region.ec2.route_tables {
        Source::Collected(tables) => tables,
        Source::Failed(failure) => {
            return Verdict::error(
                &format!("the route tables of DB subnet group {group_name}"),
                failure,
            )
        }
    };
    let mut public = Vec::new();
    let mut checked = Vec::new();
    // Subnets whose routing could not be established: a reason sentence and its evidence.
    let mut unresolved: Vec<(String, serde_json::Value)> = Vec::new();
    for subnet_id in &group.subnet_ids {
        let Some(subnet) = subnets.iter().find(|s| s.id == *subnet_id) else {
            unresolved.push((
                format!("subnet {subnet_id} was not returned by DescribeSubnets"),
                json!({ "SubnetId": subnet_id, "Reason": "not returned by DescribeSubnets" }),
            ));
            continue;
        };
        let Some(table) = route_table_for_subnet(subnet, tables) else {
            unresolved.push((
                format!(
                    "no route table governs subnet {subnet_id} (no explicit association and no \
                     main table for {} was returned)",
                    subnet.vpc_id
                ),
                json!({
                    "SubnetId": subnet_id,
                    "VpcId": subnet.vpc_id,
                    "Reason": "no governing route table returned",
                }),
            ));
            continue;
        };
        let igw = internet_gateway_route(table);
        checked.push(json!({
            "SubnetId": subnet_id,
            "RouteTableId": table.id,
            "MainRouteTable": !table.subnet_ids.iter().any(|s| s == subnet_id),
            "InternetGatewayRoute": igw.map(|r| json!({ "Destination": r.destination, "GatewayId": r.gateway_id })),
        }));
        if let Some(route) = igw {
            public.push(format!(
                "{subnet_id} (route table {} sends {} to {})",
                table.id,
                route.destination,
                route.gateway_id.as_deref().unwrap_or("?")
            ));
        }
    }
    let unresolved_reasons: Vec<&str> = unresolved.iter().map(|(r, _)| r.as_str()).collect();
    let mut evidence =
        json!({ "DBSubnetGroup": group_name, "VpcId": group.vpc_id, "Subnets": checked });
    if !unresolved.is_empty() {
        evidence["UnresolvedSubnets"] =
            serde_json::Value::Array(unresolved.iter().map(|(_, e)| e.clone()).collect());
    }
    if !public.is_empty() {
        // One proven public subnet already violates the requirement, whatever the others are.
        let also = if unresolved.is_empty() {
            String::new()
        } else {
            format!(
                "; in addition, {} of DB subnet group {group_name} could not be checked",
                unresolved_reasons.join("; ")
            )
        };
        Verdict::fail(
            format!(
                "{subject}: DB subnet group {group_name} includes public subnet(s) {}{also}",
                public.join(", ")
            ),
            evidence,
        )
    } else if !unresolved.is_empty() {
        Verdict::missing(
            format!(
                "{subject}: DB subnet group {group_name} cannot be proven private: {}",
                unresolved_reasons.join("; ")
            ),
            evidence,
        )
    } else {
        Verdict::pass(
            format!(
                "{subject}: every subnet of DB subnet group {group_name} is private (no route to \
                 an internet gateway)"
            ),
            evidence,
        )
    }
}

fn run(ctx: &Context) -> Vec<Finding> {
    grade_instances(ctx, &META, grade)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::rds::fixtures::*;
    use crate::snapshot::{DbSubnetGroup, Failure, Route, RouteTable, Subnet};

    fn ec2_failure(operation: &str) -> Failure {
        Failure::new("ec2", operation, REGION, "UnauthorizedOperation", "denied")
    }

    fn route(destination: &str, gateway: &str) -> Route {
        Route {
            destination: destination.into(),
            gateway_id: Some(gateway.into()),
            state: Some("active".into()),
        }
    }

    /// The RDS baseline plus a `private` subnet group over two subnets that use the VPC's main
    /// table (routes: local + NAT), and a public table for `subnet-web`.
    fn db_region() -> RegionSnapshot {
        let mut region = compliant_region();
        region.rds.subnet_groups = Source::Collected(vec![DbSubnetGroup {
            name: "private".into(),
            vpc_id: Some("vpc-1".into()),
            subnet_ids: vec!["subnet-db-a".into(), "subnet-db-b".into()],
        }]);
        region.ec2.subnets = Source::Collected(
            ["subnet-db-a", "subnet-db-b", "subnet-web"]
                .map(|id| Subnet {
                    id: id.into(),
                    vpc_id: "vpc-1".into(),
                    cidr_block: None,
                })
                .to_vec(),
        );
        region.ec2.route_tables = Source::Collected(vec![
            RouteTable {
                id: "rtb-main".into(),
                vpc_id: "vpc-1".into(),
                is_main: true,
                subnet_ids: vec![],
                routes: vec![route("10.0.0.0/16", "local"), route("0.0.0.0/0", "nat-1")],
            },
            RouteTable {
                id: "rtb-public".into(),
                vpc_id: "vpc-1".into(),
                is_main: false,
                subnet_ids: vec!["subnet-web".into()],
                routes: vec![route("10.0.0.0/16", "local"), route("0.0.0.0/0", "igw-1")],
            },
        ]);
        region
    }

    fn set_tables(region: &mut RegionSnapshot, edit: impl FnOnce(&mut Vec<RouteTable>)) {
        if let Source::Collected(tables) = &mut region.ec2.route_tables {
            edit(tables);
        }
    }

    #[test]
    fn pass_when_all_subnets_are_private() {
        let findings = evaluate(&CHECK, db_region());
        assert_eq!(status_of(&findings, "pg-solo"), Status::Pass);
        assert_eq!(status_of(&findings, "pg-main-1"), Status::Pass);
        assert_eq!(
            finding_for(&findings, "pg-solo").resource_type,
            "AWS::RDS::DBInstance"
        );
    }

    #[test]
    fn fail_when_explicit_table_routes_to_igw_naming_subnet_and_table() {
        let mut region = db_region();
        set_tables(&mut region, |t| t[1].subnet_ids.push("subnet-db-b".into()));
        let findings = evaluate(&CHECK, region);
        let finding = finding_for(&findings, "pg-solo");
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("subnet-db-b"),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains("rtb-public"),
            "{}",
            finding.message
        );
        assert!(
            !finding.message.contains("subnet-db-a"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn fail_when_main_table_routes_to_igw() {
        let mut region = db_region();
        set_tables(&mut region, |t| t[0].routes.push(route("::/0", "igw-1")));
        let findings = evaluate(&CHECK, region);
        let finding = finding_for(&findings, "pg-solo");
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("rtb-main"), "{}", finding.message);
        assert!(
            finding.message.contains("subnet-db-a"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn explicit_private_table_overrides_public_main_table() {
        let mut region = db_region();
        set_tables(&mut region, |t| {
            t[0].routes.push(route("0.0.0.0/0", "igw-1"));
            t.push(RouteTable {
                id: "rtb-private".into(),
                vpc_id: "vpc-1".into(),
                is_main: false,
                subnet_ids: vec!["subnet-db-a".into(), "subnet-db-b".into()],
                routes: vec![route("10.0.0.0/16", "local")],
            });
        });
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-solo"),
            Status::Pass
        );
    }

    #[test]
    fn main_table_of_another_vpc_does_not_apply() {
        let mut region = db_region();
        set_tables(&mut region, |t| {
            t.push(RouteTable {
                id: "rtb-other-main".into(),
                vpc_id: "vpc-other".into(),
                is_main: true,
                subnet_ids: vec![],
                routes: vec![route("0.0.0.0/0", "igw-9")],
            });
        });
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-solo"),
            Status::Pass
        );
    }

    #[test]
    fn nat_egress_only_and_blackhole_routes_are_not_public() {
        let mut region = db_region();
        set_tables(&mut region, |t| {
            t[0].routes.push(route("::/0", "eigw-1"));
            t[0].routes.push(Route {
                state: Some("blackhole".into()),
                ..route("0.0.0.0/1", "igw-gone")
            });
        });
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-solo"),
            Status::Pass
        );
    }

    #[test]
    fn error_when_subnet_groups_unreadable() {
        let mut region = db_region();
        region.rds.subnet_groups = Source::Failed(failure("DescribeDBSubnetGroups"));
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-solo"),
            Status::Error
        );
    }

    #[test]
    fn error_when_subnets_unreadable() {
        let mut region = db_region();
        region.ec2.subnets = Source::Failed(ec2_failure("DescribeSubnets"));
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-solo"),
            Status::Error
        );
    }

    #[test]
    fn error_when_route_tables_unreadable() {
        let mut region = db_region();
        region.ec2.route_tables = Source::Failed(ec2_failure("DescribeRouteTables"));
        let findings = evaluate(&CHECK, region);
        let finding = finding_for(&findings, "pg-solo");
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("DescribeRouteTables"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn error_when_subnet_group_not_found_or_absent() {
        let mut region = db_region();
        region.rds.subnet_groups = Source::Collected(vec![]);
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-solo"),
            Status::Error
        );
        let mut region = db_region();
        region.rds.instances = Source::Collected(vec![DbInstance {
            db_subnet_group: None,
            ..standalone_instance("no-group")
        }]);
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "no-group"),
            Status::Error
        );
    }

    #[test]
    fn error_when_a_subnet_or_its_route_table_is_missing() {
        let mut region = db_region();
        if let Source::Collected(subnets) = &mut region.ec2.subnets {
            subnets.retain(|s| s.id != "subnet-db-b");
        }
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-solo"),
            Status::Error
        );
        let mut region = db_region();
        set_tables(&mut region, |t| t.retain(|t| !t.is_main));
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-solo"),
            Status::Error
        );
    }

    #[test]
    fn error_when_subnet_group_has_no_subnets() {
        let mut region = db_region();
        region.rds.subnet_groups = Source::Collected(vec![DbSubnetGroup {
            name: "private".into(),
            vpc_id: Some("vpc-1".into()),
            subnet_ids: vec![],
        }]);
        let findings = evaluate(&CHECK, region);
        let finding = finding_for(&findings, "pg-solo");
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("no subnets"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn fail_when_one_subnet_public_even_if_another_is_unresolved() {
        // subnet-db-b is public (explicit igw table); subnet-db-a is not returned at all.
        let mut region = db_region();
        set_tables(&mut region, |t| t[1].subnet_ids.push("subnet-db-b".into()));
        if let Source::Collected(subnets) = &mut region.ec2.subnets {
            subnets.retain(|s| s.id != "subnet-db-a");
        }
        let findings = evaluate(&CHECK, region);
        let finding = finding_for(&findings, "pg-solo");
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("subnet-db-b"),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains("subnet-db-a"),
            "{}",
            finding.message
        );
        assert_eq!(
            finding.evidence["UnresolvedSubnets"][0]["SubnetId"],
            "subnet-db-a"
        );
    }

    #[test]
    fn error_when_unresolved_subnet_comes_before_a_private_one() {
        // The unresolved subnet is first in the group; the private second one must not turn it
        // into a pass.
        let mut region = db_region();
        if let Source::Collected(subnets) = &mut region.ec2.subnets {
            subnets.retain(|s| s.id != "subnet-db-a");
        }
        let findings = evaluate(&CHECK, region);
        let finding = finding_for(&findings, "pg-solo");
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("subnet-db-a"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn region_error_when_instances_unreadable() {
        let mut region = db_region();
        region.rds.instances = Source::Failed(failure("DescribeDBInstances"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Error);
        assert_eq!(findings[0].resource_type, "AWS::::Region");
    }
}
