"""AWS Lambda adapters. Each handler module imports only what its function needs:
no AI SDK, no boto3 unless the function talks to an AWS service."""
