#!/usr/bin/env bash
# Deploy the Smart Contract Analyzer to AWS with SAM.
#
#   infra/deploy.sh check                   check the prerequisites only
#   infra/deploy.sh build                   package the code for Lambda into build/lambda
#   infra/deploy.sh deploy [ENV]            build, then sam deploy (dev | staging | prod)
#   infra/deploy.sh outputs [ENV]           the stack's outputs (URLs, bucket, queue...)
#   infra/deploy.sh logs [ENV] [FUNCTION]   follow a function's logs (api, worker,
#                                           s3-trigger, notify, daily-report, authorizer)
#   infra/deploy.sh keys [ENV] ACTION ...   manage the stack's API keys: create --name N
#                                           [--plan free|pro] [--json], list, revoke KEY
#                                           (contract-analyzer keys against the stack's
#                                           key table and usage plans)
#   infra/deploy.sh test [ENV]              POST examples/VulnerableBank.sol to /analyze
#                                           (with API_KEY or API_TOKEN when set, else a
#                                           temporary free-plan key, revoked afterwards)
#   infra/deploy.sh cleanup [ENV] [--yes]   delete the stack, then empty and delete its bucket
#
# ENV defaults to dev. Settings come from infra/samconfig.toml ([ENV.deploy.parameters])
# and from the environment:
#   ENABLE_AI=true               deploy with AI; keys from OPENAI_API_KEY / GEMINI_API_KEY,
#                                or prompted (hidden) when unset and a terminal is attached
#   ALARM_EMAIL=you@example.com  subscribe an e-mail to alarms and notifications
#   SKIP_BUILD=1                 deploy what build/lambda already holds
#   PYTHON=python3               the Python used to build (3.11+; wheels are fetched for
#                                the Lambda runtime, not for this machine)
#   BYTECODE_PYTHON=python3.12   a Python 3.12 to precompile the bytecode with, when PYTHON
#                                is another version (saves ~1 s per cold start)
# Keys are never printed: they go to CloudFormation as NoEcho parameters, are stored in
# AWS Secrets Manager by the stack, and are masked in everything this script prints.

set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "${INFRA_DIR}/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-${ROOT_DIR}/build/lambda}"
TEMPLATE="${INFRA_DIR}/template.yaml"
SAMCONFIG="${INFRA_DIR}/samconfig.toml"
PYTHON="${PYTHON:-python3}"
LAMBDA_PYTHON_VERSION="3.12"
LAMBDA_PLATFORM="manylinux2014_x86_64"
SECRETS=()
SMOKE_DIR=""

die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

info() {
  printf '==> %s\n' "$*" >&2
}

usage() {
  sed -n '2,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# Print stdin with every secret replaced by ****.
mask() {
  local line secret
  while IFS= read -r line || [[ -n "${line}" ]]; do
    for secret in "${SECRETS[@]+"${SECRETS[@]}"}"; do
      [[ -n "${secret}" ]] && line="${line//"${secret}"/****}"
    done
    printf '%s\n' "${line}"
  done
}

valid_env() {
  case "$1" in
    dev | staging | prod) ;;
    *) die "unknown environment '$1': choose dev, staging or prod" ;;
  esac
}

stack_name() {
  printf 'contract-analyzer-%s' "$1"
}

# ------------------------------------------------------------------ prerequisites
region() {
  local value="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
  if [[ -z "${value}" ]]; then
    value="$(aws configure get region 2>/dev/null || true)"
  fi
  printf '%s' "${value}"
}

check_prerequisites() {
  local missing=0 tool
  for tool in aws sam; do
    if ! command -v "${tool}" >/dev/null 2>&1; then
      case "${tool}" in
        aws) printf 'error: the AWS CLI (aws) is not installed: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html\n' >&2 ;;
        sam) printf 'error: the AWS SAM CLI (sam) is not installed: pip install aws-sam-cli, or https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/install-sam-cli.html\n' >&2 ;;
      esac
      missing=1
    fi
  done
  [[ "${missing}" -eq 0 ]] || exit 1
  if [[ -z "$(region)" ]]; then
    die "no AWS region: export AWS_REGION=eu-west-1 (or run 'aws configure')"
  fi
  if ! aws sts get-caller-identity --output text --query Account >/dev/null 2>&1; then
    die "no valid AWS credentials: run 'aws configure' or 'aws sso login', or export AWS_PROFILE"
  fi
  info "prerequisites OK: aws, sam, credentials, region $(region)"
}

check_build_tools() {
  command -v "${PYTHON}" >/dev/null 2>&1 || die "${PYTHON} not found (set PYTHON=/path/to/python3.11+)"
  "${PYTHON}" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    die "${PYTHON} is older than 3.11"
}

# ------------------------------------------------------------------ build
# Lambda runs Amazon Linux: wheels must be manylinux2014 x86_64 builds for CPython 3.12,
# whatever this machine is. pip fetches exactly those (binary only: nothing is compiled
# here, so nothing can be compiled for the wrong platform), then sam deploy zips the
# folder. No Docker needed (sam build --use-container would need it).
build() {
  check_build_tools
  local extras="aws"
  if [[ "${ENABLE_AI:-false}" == "true" ]]; then
    extras="aws,ai"
  fi
  info "building the Lambda package (${LAMBDA_PLATFORM}, CPython ${LAMBDA_PYTHON_VERSION}, extras: ${extras})"
  rm -rf "${BUILD_DIR:?}" "${ROOT_DIR}/build/dist"
  mkdir -p "${BUILD_DIR}" "${ROOT_DIR}/build/dist"
  "${PYTHON}" -m pip wheel --quiet --no-deps --wheel-dir "${ROOT_DIR}/build/dist" "${ROOT_DIR}"
  local wheel
  wheel="$(ls "${ROOT_DIR}"/build/dist/contract_analyzer-*.whl)"
  "${PYTHON}" -m pip install --quiet --no-compile \
    --target "${BUILD_DIR}" \
    --platform "${LAMBDA_PLATFORM}" \
    --implementation cp \
    --python-version "${LAMBDA_PYTHON_VERSION}" \
    --only-binary=:all: \
    "${wheel}[${extras}]"
  find "${BUILD_DIR}" -type d -name '__pycache__' -prune -exec rm -rf {} +
  compile_bytecode
  info "package: ${BUILD_DIR} ($(du -sh "${BUILD_DIR}" | cut -f1))"
}

# Lambda's /var/task is read-only: without .pyc files shipped in the package, Python
# compiles every module it imports on every cold start (about 1.2 s for the API handler,
# against 0.45 s with bytecode). The bytecode must come from the runtime's own Python
# version; unchecked-hash .pyc files stay valid whatever the files' times in the zip.
compile_bytecode() {
  local compiler="${BYTECODE_PYTHON:-}"
  if [[ -n "${compiler}" ]]; then
    "${compiler}" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '${LAMBDA_PYTHON_VERSION}'.split('.'))))" ||
      die "BYTECODE_PYTHON=${compiler} is not Python ${LAMBDA_PYTHON_VERSION}"
  elif "${PYTHON}" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '${LAMBDA_PYTHON_VERSION}'.split('.'))))" 2>/dev/null; then
    compiler="${PYTHON}"
  elif command -v "python${LAMBDA_PYTHON_VERSION}" >/dev/null 2>&1 &&
    "python${LAMBDA_PYTHON_VERSION}" -c 'import compileall' >/dev/null 2>&1; then
    compiler="python${LAMBDA_PYTHON_VERSION}"
  fi
  if [[ -z "${compiler}" ]]; then
    printf 'warning: no Python %s here: bytecode not precompiled, cold starts will be ~1 s slower\n' \
      "${LAMBDA_PYTHON_VERSION}" >&2
    return 0
  fi
  "${compiler}" -m compileall -q -j 0 --invalidation-mode unchecked-hash "${BUILD_DIR}" >/dev/null
  info "bytecode precompiled with ${compiler} (unchecked-hash)"
}

# ------------------------------------------------------------------ deploy
samconfig_overrides() {
  # The [ENV.deploy.parameters] parameter_overrides of samconfig.toml (sam deploy
  # replaces them, instead of merging, when --parameter-overrides is given).
  "${PYTHON}" - "${SAMCONFIG}" "$1" <<'PY'
import sys, tomllib
with open(sys.argv[1], "rb") as stream:
    config = tomllib.load(stream)
print(config.get(sys.argv[2], {}).get("deploy", {}).get("parameters", {}).get("parameter_overrides", ""))
PY
}

read_secret() {
  # read_secret VARIABLE PROMPT: the variable's value, or a hidden prompt on a terminal.
  local prompt="$2" value="${!1:-}"
  if [[ -z "${value}" && -t 0 ]]; then
    read -r -s -p "${prompt} (empty to skip): " value
    printf '\n' >&2
  fi
  printf '%s' "${value}"
}

deploy() {
  local env="$1"
  valid_env "${env}"
  check_prerequisites
  if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
    build
  elif [[ ! -d "${BUILD_DIR}" ]]; then
    die "SKIP_BUILD=1 but ${BUILD_DIR} does not exist: run '$0 build' first"
  fi
  local overrides=() openai="" gemini="" item
  read -r -a overrides <<<"$(samconfig_overrides "${env}")"
  overrides+=("Environment=${env}")
  if [[ "${ENABLE_AI:-false}" == "true" ]]; then
    openai="$(read_secret OPENAI_API_KEY 'OpenAI API key')"
    gemini="$(read_secret GEMINI_API_KEY 'Gemini API key')"
    [[ -n "${openai}${gemini}" ]] || die "ENABLE_AI=true but no OPENAI_API_KEY or GEMINI_API_KEY"
    SECRETS+=("${openai}" "${gemini}")
    overrides+=("EnableAI=true")
    [[ -n "${openai}" ]] && overrides+=("OpenAIAPIKey=${openai}")
    [[ -n "${gemini}" ]] && overrides+=("GeminiAPIKey=${gemini}")
  fi
  if [[ -n "${ALARM_EMAIL:-}" ]]; then
    overrides+=("AlarmEmail=${ALARM_EMAIL}")
  fi
  info "deploying stack $(stack_name "${env}") to $(region)"
  for item in "${overrides[@]}"; do
    case "${item}" in
      OpenAIAPIKey=* | GeminiAPIKey=*) printf '    %s=****\n' "${item%%=*}" >&2 ;;
      *) printf '    %s\n' "${item}" >&2 ;;
    esac
  done
  local flags=()
  if [[ -n "${CI:-}" ]]; then
    flags+=(--no-confirm-changeset) # a pipeline has nobody to confirm; review the PR instead
  fi
  sam deploy "${flags[@]+"${flags[@]}"}" \
    --template-file "${TEMPLATE}" \
    --config-file "${SAMCONFIG}" \
    --config-env "${env}" \
    --stack-name "$(stack_name "${env}")" \
    --region "$(region)" \
    --parameter-overrides "${overrides[@]}" 2>&1 | mask
  outputs "${env}"
}

# ------------------------------------------------------------------ outputs, logs
outputs() {
  local env="$1"
  valid_env "${env}"
  aws cloudformation describe-stacks \
    --stack-name "$(stack_name "${env}")" \
    --region "$(region)" \
    --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' \
    --output text
}

output_value() {
  # output_value ENV KEY
  aws cloudformation describe-stacks \
    --stack-name "$(stack_name "$1")" \
    --region "$(region)" \
    --query "Stacks[0].Outputs[?OutputKey=='$2'].OutputValue | [0]" \
    --output text
}

logs() {
  local env="$1" function="${2:-api}"
  valid_env "${env}"
  case "${function}" in
    api | worker | s3-trigger | notify | daily-report | authorizer) ;;
    *) die "unknown function '${function}': api, worker, s3-trigger, notify, daily-report or authorizer" ;;
  esac
  aws logs tail "/aws/lambda/contract-analyzer-${env}-${function}" \
    --region "$(region)" --follow --format short
}

# ------------------------------------------------------------------ keys
# The API keys of an AuthMode=api_key stack live in its key table (salted hashes, read
# by the API function) and in API Gateway (the usage plan of their plan). `contract-
# analyzer keys` keeps both in step when API_KEYS_TABLE and API_GATEWAY_USAGE_PLANS
# name them: this runs it with the stack's outputs.
analyzer_cli() {
  "${PYTHON}" -c 'import contract_analyzer' 2>/dev/null ||
    die "the contract_analyzer package is not installed for ${PYTHON}: pip install '.[aws]'"
  "${PYTHON}" -m contract_analyzer "$@"
}

keys() {
  local env="$1" table plans
  shift
  valid_env "${env}"
  check_prerequisites
  table="$(output_value "${env}" ApiKeysTableName)"
  plans="$(output_value "${env}" ApiGatewayUsagePlans)"
  if [[ -z "${table}" || "${table}" == "None" || -z "${plans}" || "${plans}" == "None" ]]; then
    die "stack $(stack_name "${env}") has no API keys (deployed with AuthMode=jwt, or not deployed)"
  fi
  API_KEYS_TABLE="${table}" API_GATEWAY_USAGE_PLANS="${plans}" AWS_DEFAULT_REGION="$(region)" \
    analyzer_cli keys "$@"
}

# ------------------------------------------------------------------ test
post_vulnerable_bank() {
  # post_vulnerable_bank ENDPOINT WORKDIR: the HTTP status; the answer in WORKDIR/answer.json
  curl -sS -o "$2/answer.json" -w '%{http_code}' -X POST "$1" \
    -H @"$2/headers" --data-binary @"$2/body.json"
}

smoke_test() {
  local env="$1"
  valid_env "${env}"
  check_prerequisites
  command -v curl >/dev/null 2>&1 || die "curl is not installed"
  local endpoint key="" temporary="" status workdir attempt
  endpoint="$(output_value "${env}" AnalyzeEndpoint)"
  [[ -n "${endpoint}" && "${endpoint}" != "None" ]] || die "stack $(stack_name "${env}") has no AnalyzeEndpoint output: deploy it first"
  workdir="$(mktemp -d)"
  SMOKE_DIR="${workdir}"
  trap 'smoke_cleanup' EXIT
  : >"${workdir}/headers"
  chmod 600 "${workdir}/headers"
  printf 'Content-Type: application/json\n' >>"${workdir}/headers"
  if [[ -n "${API_KEY:-}" ]]; then
    key="${API_KEY}"
  elif [[ -n "${API_TOKEN:-}" ]]; then
    SECRETS+=("${API_TOKEN}")
    printf 'Authorization: Bearer %s\n' "${API_TOKEN}" >>"${workdir}/headers"
  elif [[ "$(output_value "${env}" ApiKeysTableName)" != "None" ]]; then
    info "creating a temporary free-plan API key for the test"
    key="$(keys "${env}" create --name "deploy-smoke-test-$(date -u +%Y%m%dT%H%M%SZ)" --plan free 2>"${workdir}/keys.log")" || {
      cat "${workdir}/keys.log" >&2
      die "could not create a temporary API key (set API_KEY to test with a key of yours)"
    }
    temporary="${key}"
    SMOKE_ENV="${env}"
    SMOKE_KEY="${temporary}"
  fi
  if [[ -n "${key}" ]]; then
    SECRETS+=("${key}")
    printf 'x-api-key: %s\n' "${key}" >>"${workdir}/headers"
  fi
  "${PYTHON}" - "${ROOT_DIR}/examples/VulnerableBank.sol" >"${workdir}/body.json" <<'PY'
import json, sys
source = open(sys.argv[1], encoding="utf-8").read()
print(json.dumps({"contract_code": source, "contract_name": "VulnerableBank", "analysis_type": "security"}))
PY
  info "POST ${endpoint}"
  status="$(post_vulnerable_bank "${endpoint}" "${workdir}")"
  # API Gateway takes a moment to learn a key it has just been given.
  for ((attempt = 1; attempt <= ${SMOKE_RETRIES:-6}; attempt++)); do
    [[ -n "${temporary}" && "${status}" == "403" ]] || break
    sleep "${SMOKE_RETRY_SECONDS:-10}"
    status="$(post_vulnerable_bank "${endpoint}" "${workdir}")"
  done
  mask <"${workdir}/answer.json"
  printf '\n'
  [[ "${status}" == "200" ]] || die "the API answered HTTP ${status}"
  grep -q '"overall_security_score"' "${workdir}/answer.json" || die "the answer has no security score"
  info "OK: the deployed API analysed VulnerableBank"
}

SMOKE_ENV=""
SMOKE_KEY=""
smoke_cleanup() {
  rm -rf "${SMOKE_DIR:-}"
  if [[ -n "${SMOKE_KEY}" ]]; then
    keys "${SMOKE_ENV}" revoke "${SMOKE_KEY}" >/dev/null 2>&1 ||
      printf 'warning: the temporary API key was not revoked (see: %s keys %s list)\n' "$0" "${SMOKE_ENV}" >&2
  fi
}

# ------------------------------------------------------------------ cleanup
empty_bucket() {
  local bucket="$1" batch
  info "emptying s3://${bucket} (every object and version)"
  while :; do
    batch="$(aws s3api list-object-versions --bucket "${bucket}" --max-items 500 --region "$(region)" \
      --query '{Objects: [Versions, DeleteMarkers][][].{Key: Key, VersionId: VersionId}}' --output json)"
    if [[ -z "${batch}" ]] || grep -q '"Objects": null' <<<"${batch}" || grep -q '"Objects": \[\]' <<<"${batch}"; then
      break
    fi
    aws s3api delete-objects --bucket "${bucket}" --delete "${batch}" --region "$(region)" >/dev/null
  done
}

cleanup() {
  local env="$1" assume_yes="$2" stack bucket answer
  valid_env "${env}"
  check_prerequisites
  stack="$(stack_name "${env}")"
  bucket="$(output_value "${env}" ReportsBucketName 2>/dev/null || true)"
  printf 'This deletes stack %s in %s and bucket %s with every contract and report in it.\n' \
    "${stack}" "$(region)" "${bucket:-?}" >&2
  if [[ "${assume_yes}" != "yes" ]]; then
    [[ -t 0 ]] || die "refusing to delete without confirmation: run in a terminal or pass --yes"
    read -r -p "Type the stack name to confirm: " answer
    [[ "${answer}" == "${stack}" ]] || die "not confirmed; nothing deleted"
  fi
  aws cloudformation delete-stack --stack-name "${stack}" --region "$(region)"
  info "waiting for the stack to be deleted"
  aws cloudformation wait stack-delete-complete --stack-name "${stack}" --region "$(region)"
  # The bucket is retained by the stack (DeletionPolicy: Retain) so no data is lost by
  # a mistaken update; here the owner asked for it to go.
  if [[ -n "${bucket}" && "${bucket}" != "None" ]]; then
    empty_bucket "${bucket}"
    aws s3api delete-bucket --bucket "${bucket}" --region "$(region)"
  fi
  info "deleted ${stack}"
}

# ------------------------------------------------------------------ main
main() {
  local command="${1:-}"
  shift || true
  case "${command}" in
    check) check_prerequisites ;;
    build) build ;;
    deploy) deploy "${1:-dev}" ;;
    outputs) check_prerequisites && outputs "${1:-dev}" ;;
    logs) check_prerequisites && logs "${1:-dev}" "${2:-api}" ;;
    test) smoke_test "${1:-dev}" ;;
    keys)
      local env="dev"
      case "${1:-}" in
        dev | staging | prod) env="$1" && shift ;;
      esac
      [[ $# -gt 0 ]] || die "keys needs an action: create --name NAME [--plan PLAN], list or revoke KEY"
      keys "${env}" "$@"
      ;;
    cleanup)
      local env="dev" yes="no" arg
      for arg in "$@"; do
        case "${arg}" in
          --yes | -y) yes="yes" ;;
          *) env="${arg}" ;;
        esac
      done
      cleanup "${env}" "${yes}"
      ;;
    -h | --help | help) usage ;;
    "") usage >&2 && exit 2 ;;
    *) usage >&2 && die "unknown command '${command}'" ;;
  esac
}

main "$@"
