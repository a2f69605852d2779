"""The SAM template, offline: transformed by aws-sam-translator (region set, no
credentials) and linted by cfn-lint, then checked resource by resource."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from infra_helpers import ROOT

TEMPLATE = ROOT / "infra" / "template.yaml"
HANDLERS = {
    "ApiFunction": "contract_analyzer.aws.lambda_api.handler",
    "JwtApiFunction": "contract_analyzer.aws.lambda_api.handler",
    "AuthorizerFunction": "contract_analyzer.aws.lambda_authorizer.handler",
    "S3TriggerFunction": "contract_analyzer.aws.lambda_s3.handler",
    "WorkerFunction": "contract_analyzer.aws.lambda_worker.handler",
    "NotifyFunction": "contract_analyzer.aws.lambda_notify.handler",
    "DailyReportFunction": "contract_analyzer.aws.lambda_report.handler",
}
# Warnings cfn-lint raises on what the translator itself generates (not on our source):
# Fn::If branches it nests inside conditional resources, DependsOn next to a Ref,
# a Fn::Sub without variables, and parameters it inlined.
GENERATED_NOISE = ["W1028", "W3005", "W1020", "W2001"]


def _sam_template() -> dict[str, Any]:
    from samtranslator.yaml_helper import yaml_parse

    template: dict[str, Any] = yaml_parse(TEMPLATE.read_text())
    return template


def _transform(parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    from samtranslator.translator.transform import transform

    class NoManagedPolicies:
        """The translator asks IAM for managed policy names only when the template uses
        some; ours uses none, so nothing is looked up (and no credentials exist)."""

        def load(self) -> dict[str, str]:
            return {}

    template = _sam_template()
    # `sam package` replaces the local CodeUri with the uploaded artifact.
    template["Globals"]["Function"]["CodeUri"] = "s3://artifacts/contract-analyzer.zip"
    result: dict[str, Any] = transform(template, parameters or {}, NoManagedPolicies())
    return result


@pytest.fixture(scope="module")
def transformed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    env_patch = pytest.MonkeyPatch()
    env_patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        env_patch.delenv(name, raising=False)
    try:
        return _transform()
    finally:
        env_patch.undo()


def _when_true(value: Any) -> Any:
    """The "condition true" branch of a Fn::If (SAM wraps a conditional function's
    paths in one)."""
    while isinstance(value, dict) and "Fn::If" in value:
        value = value["Fn::If"][1]
    return value


def _resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def _cfn_lint(path: Path, *ignore: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "cfn-lint"), "--regions", "us-east-1"]
    if ignore:
        command += ["--ignore-checks", *ignore]
    return subprocess.run(
        [*command, "--", str(path)], capture_output=True, text=True, timeout=120, check=False
    )


def test_the_template_lints_clean() -> None:
    result = _cfn_lint(TEMPLATE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_transformed_template_lints_clean(transformed: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "transformed.json"
    path.write_text(json.dumps(transformed))
    result = _cfn_lint(path, *GENERATED_NOISE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_parameters_and_conditions_of_the_issue() -> None:
    template = _sam_template()
    parameters = template["Parameters"]
    assert parameters["Environment"]["AllowedValues"] == ["dev", "staging", "prod"]
    for secret in ("OpenAIAPIKey", "GeminiAPIKey"):
        assert parameters[secret]["NoEcho"] is True
    for name in (
        "EnableS3Trigger",
        "EnableAI",
        "EnableTracing",
        "ProvisionedConcurrency",
        "AlarmEmail",
        "CustomDomainName",
        "CertificateArn",
    ):
        assert name in parameters
    conditions = template["Conditions"]
    for name in (
        "S3TriggerEnabled",
        "HasProvisionedConcurrency",
        "HasAlarmEmail",
        "HasCustomDomain",
    ):
        assert name in conditions
    outputs = template["Outputs"]
    for name in (
        "ApiUrl",
        "AnalyzeEndpoint",
        "ReportsBucketName",
        "JobsQueueUrl",
        "CacheTableName",
        "JobsTableName",
        "DashboardUrl",
    ):
        assert name in outputs


def test_every_function_has_its_handler_and_runtime(transformed: dict[str, Any]) -> None:
    functions = _resources(transformed, "AWS::Lambda::Function")
    assert {name: f["Properties"]["Handler"] for name, f in functions.items()} == HANDLERS
    for function in functions.values():
        assert function["Properties"]["Runtime"] == "python3.12"
        assert function["Properties"]["Architectures"] == ["x86_64"]


def test_secrets_never_sit_in_environment_variables(transformed: dict[str, Any]) -> None:
    assert "OpenAIAPIKey" not in json.dumps(
        [
            f["Properties"]["Environment"]
            for f in _resources(transformed, "AWS::Lambda::Function").values()
        ]
    )
    secrets = _resources(transformed, "AWS::SecretsManager::Secret")
    given = {
        name: secret["Properties"]["SecretString"]["Ref"]
        for name, secret in secrets.items()
        if "SecretString" in secret["Properties"]
    }
    assert given == {
        "OpenAIKeySecret": "OpenAIAPIKey",
        "GeminiKeySecret": "GeminiAPIKey",
        "JwtHs256SecretValue": "JwtHs256Secret",
    }
    assert {secrets[name]["Condition"] for name in given} == {
        "HasOpenAIKey",
        "HasGeminiKey",
        "HasJwtHs256Secret",
    }
    # The callback key is generated by Secrets Manager: nobody types it, nothing echoes it.
    generated = secrets["CallbackSigningSecret"]["Properties"]["GenerateSecretString"]
    assert generated["PasswordLength"] >= 32
    without_conditions = {k: v for k, v in transformed.items() if k != "Conditions"}
    for parameter in given.values():
        assert json.dumps(without_conditions).count(f'"Ref": "{parameter}"') == 1
    for function in _resources(transformed, "AWS::Lambda::Function").values():
        variables = function["Properties"]["Environment"]["Variables"]
        for plain in ("OPENAI_API_KEY", "GEMINI_API_KEY", "JWT_HS256_SECRET", "CALLBACK_SECRET"):
            assert plain not in variables
        for arn in ("OPENAI_API_KEY_SECRET_ARN", "JWT_HS256_SECRET_ARN", "CALLBACK_SECRET_ARN"):
            assert arn in variables


def _secret_readers(transformed: dict[str, Any], secret: str) -> set[str]:
    """The functions whose role may read ``secret`` (either branch of a condition)."""
    readers = set()
    for name, role in _resources(transformed, "AWS::IAM::Role").items():
        for statement in _flatten(_statements(role)):
            if not isinstance(statement, dict) or "secretsmanager:GetSecretValue" not in json.dumps(
                statement.get("Action")
            ):
                continue
            if f'{{"Ref": "{secret}"}}' in json.dumps(statement.get("Resource")):
                readers.add(name.removesuffix("Role"))
    return readers


def test_each_secret_is_readable_only_by_the_functions_that_use_it(
    transformed: dict[str, Any],
) -> None:
    assert _secret_readers(transformed, "CallbackSigningSecret") == {"WorkerFunction"}
    assert _secret_readers(transformed, "JwtHs256SecretValue") == {
        "JwtApiFunction",
        "AuthorizerFunction",
    }
    ai_users = {"ApiFunction", "JwtApiFunction", "S3TriggerFunction", "WorkerFunction"}
    assert _secret_readers(transformed, "OpenAIKeySecret") == ai_users


def _statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    """Every statement of the role's inline policies, both branches of a Fn::If."""
    found = []
    for policy in _flatten(role["Properties"].get("Policies", [])):
        if isinstance(policy, dict) and "PolicyDocument" in policy:
            found.extend(policy["PolicyDocument"]["Statement"])
    return found


def _flatten(value: Any) -> list[Any]:
    """Every leaf of a policy value (lists, Fn::If branches)."""
    if isinstance(value, list):
        return [leaf for item in value for leaf in _flatten(item)]
    if isinstance(value, dict) and "Fn::If" in value:
        return [leaf for branch in value["Fn::If"][1:] for leaf in _flatten(branch)]
    return [value]


def test_every_function_role_is_least_privilege(transformed: dict[str, Any]) -> None:
    roles = _resources(transformed, "AWS::IAM::Role")
    functions = _resources(transformed, "AWS::Lambda::Function")
    function_roles = {f["Properties"]["Role"]["Fn::GetAtt"][0] for f in functions.values()}
    assert len(function_roles) == len(functions), "each function has a role of its own"
    for name in function_roles:
        role = roles[name]
        managed = role["Properties"]["ManagedPolicyArns"]
        # AWS-managed policies SAM attaches: logs, X-Ray (with tracing; X-Ray has no
        # resource-level permissions) and, for the SQS event source, the poller policy.
        allowed_managed = ["AWSLambdaBasicExecutionRole", "AWSXrayWriteOnlyAccess"]
        if name == "WorkerFunctionRole":
            allowed_managed.append("AWSLambdaSQSQueueExecutionRole")
        for arn in _flatten(managed):
            if isinstance(arn, dict) and arn.get("Ref") == "AWS::NoValue":
                continue
            text = json.dumps(arn)
            assert any(m in text for m in allowed_managed), (name, arn)
        for statement in _statements(role):
            if isinstance(statement, dict) and "Fn::If" in statement:
                statements = [s for s in _flatten(statement) if isinstance(s, dict)]
            else:
                statements = [statement]
            for item in statements:
                if item.get("Ref") == "AWS::NoValue":
                    continue
                actions = item["Action"] if isinstance(item["Action"], list) else [item["Action"]]
                assert all("*" not in action for action in actions), (name, actions)
                resources = _flatten(item["Resource"])
                assert "*" not in resources, (name, item)
                assert resources, (name, item)


def test_s3_trigger_reads_contracts_and_writes_reports_only(transformed: dict[str, Any]) -> None:
    role = transformed["Resources"]["S3TriggerFunctionRole"]
    s3 = [s for s in _statements(role) if any(a.startswith("s3:") for a in s["Action"])]
    grants = {tuple(s["Action"]): json.dumps(s["Resource"]) for s in s3}
    assert "contracts/*" in grants[("s3:GetObject", "s3:GetObjectVersion")]
    assert "reports/*" in grants[("s3:PutObject",)]
    bucket = transformed["Resources"]["ReportsBucket"]
    notification = json.dumps(bucket["Properties"]["NotificationConfiguration"])
    assert "s3:ObjectCreated:*" in notification
    assert '"prefix", "Value": "contracts/"' in notification
    assert "S3TriggerEnabled" in notification  # no trigger when the condition is off


def test_the_bucket_is_private_encrypted_and_expires_old_reports(
    transformed: dict[str, Any],
) -> None:
    bucket = transformed["Resources"]["ReportsBucket"]["Properties"]
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    encryption = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    rules = {r["Id"]: r for r in bucket["LifecycleConfiguration"]["Rules"]}
    assert rules["expire-reports"]["Prefix"] == "reports/"
    assert "ExpirationInDays" in rules["expire-reports"]


def test_tables_are_on_demand_with_ttl_and_pitr_in_prod(transformed: dict[str, Any]) -> None:
    tables = _resources(transformed, "AWS::DynamoDB::Table")
    keys = {name: t["Properties"]["KeySchema"][0]["AttributeName"] for name, t in tables.items()}
    assert keys == {
        "CacheTable": "key",
        "JobsTable": "job_id",
        "StatsTable": "day",
        "RateLimitTable": "pk",
        "ApiKeysTable": "key_id",
    }
    for name, table in tables.items():
        props = table["Properties"]
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        if name == "ApiKeysTable":  # keys do not expire, and survive a stack deletion
            assert "TimeToLiveSpecification" not in props
            assert table["DeletionPolicy"] == "Retain"
        else:
            ttl = props["TimeToLiveSpecification"]
            assert ttl == {"AttributeName": "expires_at", "Enabled": True}
        pitr = props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]
        assert pitr == {"Fn::If": ["IsProd", True, False]}


def test_the_job_queue_has_a_dead_letter_queue_after_three_receives(
    transformed: dict[str, Any],
) -> None:
    queue = transformed["Resources"]["JobsQueue"]["Properties"]
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": ["JobsDeadLetterQueue", "Arn"]},
        "maxReceiveCount": 3,
    }
    assert (
        queue["VisibilityTimeout"]
        >= transformed["Resources"]["WorkerFunction"]["Properties"]["Timeout"]
    )
    mappings = _resources(transformed, "AWS::Lambda::EventSourceMapping")
    [mapping] = mappings.values()
    assert mapping["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["Properties"]["EventSourceArn"] == {"Fn::GetAtt": ["JobsQueue", "Arn"]}


def test_alarms_exist_and_point_to_the_topic(transformed: dict[str, Any]) -> None:
    alarms = _resources(transformed, "AWS::CloudWatch::Alarm")
    metrics = {
        (a["Properties"]["Namespace"], a["Properties"]["MetricName"]) for a in alarms.values()
    }
    assert {
        ("AWS/Lambda", "Errors"),
        ("AWS/Lambda", "Throttles"),
        ("AWS/Lambda", "Duration"),
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible"),
    } <= metrics
    for name, alarm in alarms.items():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "NotifyTopic"}], name
    p99 = [a for a in alarms.values() if a["Properties"].get("ExtendedStatistic") == "p99"]
    assert p99
    assert "AWS::CloudWatch::Dashboard" in {r["Type"] for r in transformed["Resources"].values()}


def test_topic_subscriptions_notify_function_and_optional_email(
    transformed: dict[str, Any],
) -> None:
    subscriptions = _resources(transformed, "AWS::SNS::Subscription")
    protocols = {s["Properties"]["Protocol"]: s for s in subscriptions.values()}
    assert protocols["email"]["Condition"] == "HasAlarmEmail"
    assert protocols["lambda"]["Properties"]["TopicArn"] == {"Ref": "NotifyTopic"}


def test_deployments_are_canary_in_prod_and_roll_back_on_the_error_alarm(
    transformed: dict[str, Any],
) -> None:
    groups = _resources(transformed, "AWS::CodeDeploy::DeploymentGroup")
    api = groups["ApiFunctionDeploymentGroup"]["Properties"]
    config = json.dumps(api["DeploymentConfigName"])
    assert "IsProd" in config and "Canary10Percent5Minutes" in config and "AllAtOnce" in config
    assert api["AlarmConfiguration"]["Alarms"] == [{"Name": {"Ref": "ApiErrorsAlarm"}}]
    assert "DEPLOYMENT_STOP_ON_ALARM" in api["AutoRollbackConfiguration"]["Events"]
    aliases = _resources(transformed, "AWS::Lambda::Alias")
    assert {a["Properties"]["Name"] for a in aliases.values()} == {"live"}
    api_alias = aliases["ApiFunctionAliaslive"]["Properties"]
    assert api_alias["ProvisionedConcurrencyConfig"]["Fn::If"][0] == "HasProvisionedConcurrency"


def test_the_api_has_keys_a_usage_plan_cors_validation_and_no_cache(
    transformed: dict[str, Any],
) -> None:
    resources = transformed["Resources"]
    for plan_name in ("FreeUsagePlan", "ProUsagePlan"):
        plan = resources[plan_name]
        assert plan["Condition"] == "UseApiKeys"
        assert plan["Properties"]["Throttle"] and plan["Properties"]["Quota"]["Period"] == "DAY"
        stage = plan["Properties"]["ApiStages"][0]
        assert stage == {
            "ApiId": {"Ref": "ApiKeyRestApi"},
            "Stage": {"Ref": "ApiKeyRestApiv1Stage"},
        }
    # No shared default key: every key is made by `keys create`, into both the app's store
    # and API Gateway (its plan's usage plan).
    assert "AWS::ApiGateway::ApiKey" not in {r["Type"] for r in resources.values()}
    api = resources["ApiFunction"]["Properties"]["Environment"]["Variables"]
    assert api["AUTH_MODE"] == "api_key" and api["API_KEYS_TABLE"] == {"Ref": "ApiKeysTable"}
    outputs = transformed["Outputs"]
    assert outputs["ApiGatewayUsagePlans"]["Value"] == {
        "Fn::Sub": '{"free": "${FreeUsagePlan}", "pro": "${ProUsagePlan}"}'
    }
    stage = resources["ApiKeyRestApiv1Stage"]["Properties"]
    assert stage["CacheClusterEnabled"] is False
    assert stage["MethodSettings"][0]["CachingEnabled"] is False
    body = resources["ApiKeyRestApi"]["Properties"]["Body"]
    analyze_path = _when_true(body["paths"]["/analyze"])
    analyze = json.dumps(analyze_path)
    assert "x-amazon-apigateway-request-validator" in analyze
    assert "api_key" in analyze
    assert "options" in analyze_path  # CORS preflight
    health = json.dumps(_when_true(body["paths"]["/health"]))
    assert "api_key" not in health
    jwt_api = resources["JwtRestApi"]
    assert jwt_api["Condition"] == "UseJwt"
    authorizers = jwt_api["Properties"]["Body"]["securityDefinitions"]
    assert authorizers["JwtAuthorizer"]["x-amazon-apigateway-authtype"] == "custom"


def test_function_permissions_carry_their_api_condition(transformed: dict[str, Any]) -> None:
    for name, permission in _resources(transformed, "AWS::Lambda::Permission").items():
        source = json.dumps(permission["Properties"].get("SourceArn", ""))
        if "ApiKeyRestApi" in source:
            assert permission.get("Condition") == "UseApiKeys", name
        if "JwtRestApi" in source:
            assert permission.get("Condition") == "UseJwt", name


def test_tracing_and_log_groups(transformed: dict[str, Any]) -> None:
    for name, function in _resources(transformed, "AWS::Lambda::Function").items():
        props = function["Properties"]
        assert props["TracingConfig"]["Mode"] == {
            "Fn::If": ["TracingEnabled", "Active", "PassThrough"]
        }, name
        assert props["LoggingConfig"]["LogFormat"] == "JSON"
    groups = _resources(transformed, "AWS::Logs::LogGroup")
    assert len(groups) == 6
    for group in groups.values():
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_the_template_transforms_with_every_option_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    parameters = {
        "Environment": "prod",
        "AuthMode": "jwt",
        "EnableAI": "true",
        "OpenAIAPIKey": "sk-test",
        "ProvisionedConcurrency": 2,
        "AlarmEmail": "ops@example.com",
        "CustomDomainName": "api.example.com",
        "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        "EnableTracing": "true",
    }
    result = _transform(parameters)
    assert "ApiDomainName" in result["Resources"]
    assert result["Resources"]["JwtBasePathMapping"]["Condition"] == "CustomDomainWithJwt"


def test_the_usage_plans_match_the_applications_plans(transformed: dict[str, Any]) -> None:
    from contract_analyzer.auth.plans import BUILTIN_PLANS

    table = _sam_template()["Mappings"]["Plans"]
    assert set(table) == set(BUILTIN_PLANS)
    resources = transformed["Resources"]
    for name, plan in BUILTIN_PLANS.items():
        row = table[name]
        assert row["PerMinute"] == plan.requests_per_minute
        assert row["PerDay"] == plan.requests_per_day
        assert row["AI"] == str(plan.ai).lower()
        assert abs(row["RatePerSecond"] - plan.requests_per_minute / 60) < 0.01
        assert row["Burst"] <= plan.requests_per_minute
        usage_plan = resources[f"{name.title()}UsagePlan"]["Properties"]
        assert usage_plan["Quota"]["Limit"] == {"Fn::FindInMap": ["Plans", name, "PerDay"]}
    # The application reads the same table as PLANS: what CloudFormation substitutes
    # is a value the settings accept, equal to the built-in plans.
    text, variables = resources["ApiFunction"]["Properties"]["Environment"]["Variables"]["PLANS"][
        "Fn::Sub"
    ]
    for variable, lookup in variables.items():
        _, plan_name, column = lookup["Fn::FindInMap"]
        text = text.replace("${" + variable + "}", str(table[plan_name][column]))
    from contract_analyzer.config import Settings

    settings = Settings(plans=json.loads(text))
    assert {
        name: (c.requests_per_minute, c.requests_per_day, c.ai)
        for name, c in settings.plans.items()
    } == {
        name: (p.requests_per_minute, p.requests_per_day, p.ai) for name, p in BUILTIN_PLANS.items()
    }


def test_time_limits_leave_room_for_one_analysis(transformed: dict[str, Any]) -> None:
    resources = transformed["Resources"]
    margin = 5  # lambda_worker refuses a record with less than limit + 5 s left
    for name in ("ApiFunction", "JwtApiFunction", "WorkerFunction"):
        props = resources[name]["Properties"]
        limit = float(
            props["Environment"]["Variables"]["CONTRACT_ANALYZER_ANALYSIS_TIMEOUT_SECONDS"]
        )
        assert props["Timeout"] >= limit + margin, name
    worker_timeout = resources["WorkerFunction"]["Properties"]["Timeout"]
    assert resources["JobsQueue"]["Properties"]["VisibilityTimeout"] > worker_timeout
    assert resources["ApiFunction"]["Properties"]["Timeout"] <= 29  # API Gateway's limit
