//! Seeds the network part of a fixture region: VPCs, subnets, routes, flow logs, NACLs,
//! EC2 instances, volumes and load balancers.

use std::collections::BTreeMap;

use anyhow::{anyhow, Context as _, Result};
use aws_config::SdkConfig;
use aws_sdk_ec2::types::{
    AttributeBooleanValue, Filter, IcmpTypeCode, LogDestinationType, PortRange, ResourceType,
    RuleAction, Tag, TagSpecification, TrafficType,
};
use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, Certificate, ProtocolEnum, RedirectActionConfig,
    RedirectActionStatusCodeEnum,
};

use crate::fixture::RegionFixture;

/// Ids moto generated for fixture names.
#[derive(Debug, Default, Clone)]
pub struct NetworkIds {
    /// VPC name -> id.
    pub vpcs: BTreeMap<String, String>,
    /// Subnet name -> id.
    pub subnets: BTreeMap<String, String>,
}

impl NetworkIds {
    /// The id of a subnet by fixture name.
    pub fn subnet(&self, name: &str) -> Result<String> {
        self.subnets
            .get(name)
            .cloned()
            .ok_or_else(|| anyhow!("fixture refers to unknown subnet `{name}`"))
    }

    /// The id of a VPC by fixture name.
    pub fn vpc(&self, name: &str) -> Result<String> {
        self.vpcs
            .get(name)
            .cloned()
            .ok_or_else(|| anyhow!("fixture refers to unknown VPC `{name}`"))
    }
}

fn tag_spec(kind: ResourceType, tags: &BTreeMap<String, String>) -> TagSpecification {
    let mut spec = TagSpecification::builder().resource_type(kind);
    for (key, value) in tags {
        spec = spec.tags(Tag::builder().key(key).value(value).build());
    }
    spec.build()
}

/// VPCs, subnets, internet gateways, route tables, flow logs, default SGs and NACLs.
pub async fn seed_vpcs(
    config: &SdkConfig,
    region: &str,
    fixture: &RegionFixture,
) -> Result<NetworkIds> {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let mut ids = NetworkIds::default();
    if fixture.ebs_encryption_by_default {
        ec2.enable_ebs_encryption_by_default().send().await?;
    }
    for vpc in &fixture.vpc {
        let created = ec2
            .create_vpc()
            .cidr_block(&vpc.cidr)
            .send()
            .await
            .with_context(|| format!("CreateVpc {}", vpc.name))?;
        let vpc_id = created
            .vpc()
            .and_then(|v| v.vpc_id())
            .unwrap_or_default()
            .to_owned();
        ids.vpcs.insert(vpc.name.clone(), vpc_id.clone());
        let igw = if vpc.subnets.iter().any(|s| s.public) {
            let igw = ec2.create_internet_gateway().send().await?;
            let igw_id = igw
                .internet_gateway()
                .and_then(|g| g.internet_gateway_id())
                .unwrap_or_default()
                .to_owned();
            ec2.attach_internet_gateway()
                .internet_gateway_id(&igw_id)
                .vpc_id(&vpc_id)
                .send()
                .await?;
            let table = ec2.create_route_table().vpc_id(&vpc_id).send().await?;
            let table_id = table
                .route_table()
                .and_then(|t| t.route_table_id())
                .unwrap_or_default()
                .to_owned();
            ec2.create_route()
                .route_table_id(&table_id)
                .destination_cidr_block("0.0.0.0/0")
                .gateway_id(&igw_id)
                .send()
                .await?;
            Some(table_id)
        } else {
            None
        };
        for subnet in &vpc.subnets {
            let created = ec2
                .create_subnet()
                .vpc_id(&vpc_id)
                .cidr_block(&subnet.cidr)
                .availability_zone(format!("{region}{}", subnet.az))
                .send()
                .await
                .with_context(|| format!("CreateSubnet {}", subnet.name))?;
            let subnet_id = created
                .subnet()
                .and_then(|s| s.subnet_id())
                .unwrap_or_default()
                .to_owned();
            if subnet.public {
                if let Some(table_id) = &igw {
                    ec2.associate_route_table()
                        .route_table_id(table_id)
                        .subnet_id(&subnet_id)
                        .send()
                        .await?;
                }
                ec2.modify_subnet_attribute()
                    .subnet_id(&subnet_id)
                    .map_public_ip_on_launch(AttributeBooleanValue::builder().value(true).build())
                    .send()
                    .await?;
            }
            ids.subnets.insert(subnet.name.clone(), subnet_id);
        }
        if vpc.flow_log {
            ec2.create_flow_logs()
                .resource_ids(&vpc_id)
                .resource_type(aws_sdk_ec2::types::FlowLogsResourceType::Vpc)
                .traffic_type(TrafficType::All)
                .log_destination_type(LogDestinationType::CloudWatchLogs)
                .log_group_name(format!("/vpc/{}", vpc.name))
                .deliver_logs_permission_arn("arn:aws:iam::123456789012:role/vpc-flow-logs")
                .send()
                .await?;
        }
        if vpc.close_default_security_group {
            let groups = ec2
                .describe_security_groups()
                .filters(Filter::builder().name("vpc-id").values(&vpc_id).build())
                .filters(
                    Filter::builder()
                        .name("group-name")
                        .values("default")
                        .build(),
                )
                .send()
                .await?;
            for group in groups.security_groups() {
                let group_id = group.group_id().unwrap_or_default();
                if !group.ip_permissions().is_empty() {
                    ec2.revoke_security_group_ingress()
                        .group_id(group_id)
                        .set_ip_permissions(Some(group.ip_permissions().to_vec()))
                        .send()
                        .await?;
                }
                if !group.ip_permissions_egress().is_empty() {
                    ec2.revoke_security_group_egress()
                        .group_id(group_id)
                        .set_ip_permissions(Some(group.ip_permissions_egress().to_vec()))
                        .send()
                        .await?;
                }
            }
        }
    }
    for acl in &fixture.network_acl {
        let vpc_id = ids.vpc(&acl.vpc)?;
        let created = ec2.create_network_acl().vpc_id(&vpc_id).send().await?;
        let acl_id = created
            .network_acl()
            .and_then(|a| a.network_acl_id())
            .unwrap_or_default()
            .to_owned();
        for entry in &acl.entries {
            let mut request = ec2
                .create_network_acl_entry()
                .network_acl_id(&acl_id)
                .rule_number(entry.rule)
                .protocol(&entry.protocol)
                .rule_action(RuleAction::from(entry.action.as_str()))
                .egress(entry.egress)
                .cidr_block(&entry.cidr);
            if let (Some(from), Some(to)) = (entry.from_port, entry.to_port) {
                request = request.port_range(PortRange::builder().from(from).to(to).build());
            }
            if entry.protocol == "1" {
                request =
                    request.icmp_type_code(IcmpTypeCode::builder().code(-1).r#type(-1).build());
            }
            request
                .send()
                .await
                .with_context(|| format!("CreateNetworkAclEntry {}", entry.rule))?;
        }
        // Move the subnets from their current (default) ACL to this one.
        for subnet in &acl.subnets {
            let subnet_id = ids.subnet(subnet)?;
            let current = ec2
                .describe_network_acls()
                .filters(
                    Filter::builder()
                        .name("association.subnet-id")
                        .values(&subnet_id)
                        .build(),
                )
                .send()
                .await?;
            let association = current
                .network_acls()
                .iter()
                .flat_map(|a| a.associations())
                .find(|a| a.subnet_id() == Some(subnet_id.as_str()))
                .and_then(|a| a.network_acl_association_id())
                .map(str::to_owned);
            if let Some(association) = association {
                ec2.replace_network_acl_association()
                    .association_id(association)
                    .network_acl_id(&acl_id)
                    .send()
                    .await?;
            }
        }
    }
    Ok(ids)
}

/// EC2 instances, volumes and load balancers (after security groups exist).
pub async fn seed_workloads(
    config: &SdkConfig,
    region: &str,
    fixture: &RegionFixture,
    ids: &NetworkIds,
) -> Result<()> {
    let ec2 = aws_sdk_ec2::Client::new(config);
    for instance in &fixture.ec2_instance {
        let mut tags = instance.tags.clone();
        tags.insert("Name".into(), instance.name.clone());
        ec2.run_instances()
            .image_id("ami-03cf127a")
            .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
            .min_count(1)
            .max_count(1)
            .set_subnet_id(
                instance
                    .subnet
                    .as_deref()
                    .map(|s| ids.subnet(s))
                    .transpose()?,
            )
            .tag_specifications(tag_spec(ResourceType::Instance, &tags))
            .send()
            .await
            .with_context(|| format!("RunInstances {}", instance.name))?;
    }
    for volume in &fixture.volume {
        let mut request = ec2
            .create_volume()
            .availability_zone(format!("{region}{}", volume.az))
            .size(volume.size)
            .encrypted(volume.encrypted);
        if !volume.tags.is_empty() {
            request = request.tag_specifications(tag_spec(ResourceType::Volume, &volume.tags));
        }
        request.send().await.context("CreateVolume")?;
    }

    let needs_certificate = fixture
        .load_balancer
        .iter()
        .flat_map(|lb| &lb.listeners)
        .any(|l| l.protocol == "HTTPS");
    let certificate = if needs_certificate {
        let acm = aws_sdk_acm::Client::new(config);
        let requested = acm
            .request_certificate()
            .domain_name("portal.example.org")
            .send()
            .await?;
        requested.certificate_arn().map(str::to_owned)
    } else {
        None
    };
    let elbv2 = aws_sdk_elasticloadbalancingv2::Client::new(config);
    for lb in &fixture.load_balancer {
        let subnets = lb
            .subnets
            .iter()
            .map(|s| ids.subnet(s))
            .collect::<Result<Vec<_>>>()?;
        let created = elbv2
            .create_load_balancer()
            .name(&lb.name)
            .set_subnets(Some(subnets))
            .send()
            .await?;
        let lb_arn = created
            .load_balancers()
            .first()
            .and_then(|l| l.load_balancer_arn())
            .unwrap_or_default()
            .to_owned();
        let vpc_id = created
            .load_balancers()
            .first()
            .and_then(|l| l.vpc_id())
            .unwrap_or_default()
            .to_owned();
        let target = elbv2
            .create_target_group()
            .name(format!("{}-tg", lb.name))
            .protocol(ProtocolEnum::Http)
            .port(80)
            .vpc_id(vpc_id)
            .send()
            .await?;
        let target_arn = target
            .target_groups()
            .first()
            .and_then(|t| t.target_group_arn())
            .unwrap_or_default()
            .to_owned();
        for listener in &lb.listeners {
            let action = if listener.redirect_https {
                Action::builder()
                    .r#type(ActionTypeEnum::Redirect)
                    .redirect_config(
                        RedirectActionConfig::builder()
                            .protocol("HTTPS")
                            .port("443")
                            .status_code(RedirectActionStatusCodeEnum::Http301)
                            .build(),
                    )
                    .build()
            } else {
                Action::builder()
                    .r#type(ActionTypeEnum::Forward)
                    .target_group_arn(&target_arn)
                    .build()
            };
            let mut request = elbv2
                .create_listener()
                .load_balancer_arn(&lb_arn)
                .protocol(ProtocolEnum::from(listener.protocol.as_str()))
                .port(listener.port)
                .default_actions(action)
                .set_ssl_policy(listener.ssl_policy.clone());
            if listener.protocol == "HTTPS" {
                request = request.certificates(
                    Certificate::builder()
                        .set_certificate_arn(certificate.clone())
                        .build(),
                );
            }
            request
                .send()
                .await
                .with_context(|| format!("CreateListener {}:{}", lb.name, listener.port))?;
        }
    }
    let elb = aws_sdk_elasticloadbalancing::Client::new(config);
    for lb in &fixture.classic_load_balancer {
        let mut request = elb
            .create_load_balancer()
            .load_balancer_name(&lb.name)
            .availability_zones(format!("{region}{}", lb.az));
        for listener in &lb.listeners {
            request = request.listeners(
                aws_sdk_elasticloadbalancing::types::Listener::builder()
                    .protocol(&listener.protocol)
                    .load_balancer_port(listener.port)
                    .instance_port(80)
                    .instance_protocol("HTTP")
                    .build()?,
            );
        }
        request
            .send()
            .await
            .with_context(|| format!("CreateLoadBalancer (classic) {}", lb.name))?;
    }
    Ok(())
}
