"""Lambda handler of the API function (API Gateway REST v1 proxy and HTTP API v2 events).

``contract_analyzer.aws.lambda_api.handler`` is the function's handler. It is the same
FastAPI app as ``contract-analyzer serve``, adapted by Mangum; ``lifespan="off"``
because Lambda has no start-up hook, so the analysis worker starts on the first request
(one worker: a Lambda environment serves one request at a time). On Lambda itself
(``AWS_LAMBDA_RUNTIME_API`` is set) the worker process is started, not awaited, during
the init phase, so it boots while the runtime finishes initialising.

Importing this module must stay cheap for cold starts: FastAPI, Mangum and the service's
own modules, never the engine, an AI SDK or boto3 (``bench/import_time.py`` measures it,
a test checks it).
"""

from __future__ import annotations

import os

from mangum import Mangum

from contract_analyzer.config import get_settings
from contract_analyzer.service.app import create_app

TEXT_MIME_TYPES = [
    "text/",
    "application/json",
    "application/sarif+json",
    "+json",
    "application/javascript",
    "application/xml",
    "application/vnd.oai.openapi",
]
"""Content types answered as text rather than base64 (Mangum's defaults plus SARIF)."""

settings = get_settings()
app = create_app(settings)
if os.environ.get("AWS_LAMBDA_RUNTIME_API"):
    app.state.pool.prestart()
handler = Mangum(
    app,
    lifespan="off",
    api_gateway_base_path=settings.api_base_path,
    text_mime_types=TEXT_MIME_TYPES,
)
