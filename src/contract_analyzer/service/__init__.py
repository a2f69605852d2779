"""The HTTP API: a FastAPI application (``service.app.create_app``) that runs under
uvicorn (``contract-analyzer serve``) and on AWS Lambda (``aws.lambda_api.handler``).

Nothing is imported here, so importing a submodule stays cheap.
"""
