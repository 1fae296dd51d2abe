use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::ecs::nodes_at;
use jobzero_secrets::literal::is_literal;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A database, cache, broker, directory or search domain whose administrator password or
    /// auth token is a literal in the code. Terraform: `aws_db_instance.password`,
    /// `master_password` of `aws_rds_cluster`, `aws_redshift_cluster` and
    /// `aws_docdb_cluster`, `admin_user_password` of `aws_redshiftserverless_namespace` and
    /// `aws_docdb_elastic_cluster`, `aws_elasticache_replication_group.auth_token`, the
    /// `passwords` of `aws_elasticache_user` and `aws_memorydb_user`, each
    /// `aws_mq_broker` `user.password`, `aws_dms_endpoint.password`,
    /// `aws_directory_service_directory.password`, and the OpenSearch/Elasticsearch
    /// `master_user_password`. CloudFormation: `MasterUserPassword` of
    /// `AWS::RDS::DBInstance`, `AWS::RDS::DBCluster`, `AWS::Redshift::Cluster`,
    /// `AWS::DocDB::DBCluster`, `AdminUserPassword`, `AuthToken`, `Passwords`,
    /// `AWS::AmazonMQ::Broker` `Users[].Password`, `AWS::DMS::Endpoint` and
    /// `AWS::DirectoryService::*` `Password`, and the domains' `MasterUserPassword`.
    /// A value from a variable or parameter counts when its default is the literal;
    /// `{{resolve:secretsmanager:…}}` and `{{resolve:ssm-secure:…}}` dynamic references,
    /// `NoEcho` parameters without a default, `random_password` results and secrets-manager
    /// data sources are not reported.
    ///
    /// ## Why it matters
    /// The password of the master user opens every table of the database. In the code it
    /// is readable by everyone with repository access, forever, in every clone and fork; it
    /// is also stored in plain text in the Terraform state and the CloudFormation template.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   engine   = "postgres"
    ///   username = "orders_admin"
    ///   password = "Orders-Pr0d-2024!"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Let the service manage the password in Secrets Manager (`manage_master_user_password
    /// = true`, `ManageMasterUserPassword: true`), or generate it (`random_password`) and
    /// read it from a secret; in CloudFormation use a dynamic reference:
    /// `MasterUserPassword: "{{resolve:secretsmanager:orders-db:SecretString:password}}"`.
    ///
    /// ## References
    /// - CWE-798
    /// - CWE-259
    /// - [Amazon RDS: password management with Secrets Manager](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html)
    pub static RULE = {
        id: "iac/hardcoded-database-password",
        code: "IAC154",
        title: "database password hard-coded in infrastructure code",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::SECRET_HARDCODED,
    }
}

/// Resource types and the paths of their passwords.
const PASSWORDS: &[(&str, &str)] = &[
    ("aws_db_instance", "password"),
    ("aws_rds_cluster", "master_password"),
    ("aws_redshift_cluster", "master_password"),
    ("aws_docdb_cluster", "master_password"),
    ("aws_docdb_elastic_cluster", "admin_user_password"),
    ("aws_redshiftserverless_namespace", "admin_user_password"),
    ("aws_elasticache_replication_group", "auth_token"),
    ("aws_elasticache_user", "passwords"),
    ("aws_elasticache_user", "authentication_mode.passwords"),
    ("aws_memorydb_user", "authentication_mode.passwords"),
    ("aws_mq_broker", "user.password"),
    ("aws_dms_endpoint", "password"),
    ("aws_directory_service_directory", "password"),
    (
        "aws_opensearch_domain",
        "advanced_security_options.master_user_options.master_user_password",
    ),
    (
        "aws_elasticsearch_domain",
        "advanced_security_options.master_user_options.master_user_password",
    ),
    ("AWS::RDS::DBInstance", "MasterUserPassword"),
    ("AWS::RDS::DBCluster", "MasterUserPassword"),
    ("AWS::Redshift::Cluster", "MasterUserPassword"),
    ("AWS::DocDB::DBCluster", "MasterUserPassword"),
    ("AWS::DocDBElastic::Cluster", "AdminUserPassword"),
    ("AWS::RedshiftServerless::Namespace", "AdminUserPassword"),
    ("AWS::ElastiCache::ReplicationGroup", "AuthToken"),
    ("AWS::ElastiCache::User", "Passwords"),
    ("AWS::MemoryDB::User", "AuthenticationMode.Passwords"),
    ("AWS::AmazonMQ::Broker", "Users.Password"),
    ("AWS::DMS::Endpoint", "Password"),
    ("AWS::DirectoryService::MicrosoftAD", "Password"),
    ("AWS::DirectoryService::SimpleAD", "Password"),
    (
        "AWS::OpenSearchService::Domain",
        "AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword",
    ),
    (
        "AWS::Elasticsearch::Domain",
        "AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword",
    ),
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, path) in PASSWORDS {
        for r in cx.of(&[*rtype]) {
            for node in nodes_at(&r.body, path) {
                let Some(value) = node.as_str() else { continue };
                if !is_literal(value) {
                    continue;
                }
                let name = path.rsplit('.').next().unwrap_or(path);
                out.push(cx.at(&RULE, r, node).message(format!(
                    "`{}` sets `{name}` to a hard-coded password",
                    r.addr
                )));
            }
        }
    }
}
