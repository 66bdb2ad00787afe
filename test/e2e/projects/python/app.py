"""A Python app server (WSGI, the standard library's server) whose LLM calls join the test's
cassettes session through the documented middleware and httpx hook (cassettes_session.py)."""
import json
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from cassettes_session import CassetteSessionMiddleware, add_session_header
from openai import DefaultHttpxClient, OpenAI

client = OpenAI(api_key="placeholder", max_retries=0, http_client=DefaultHttpxClient(event_hooks={"request": [add_session_header]}))


def chat(environ, start_response):
    question = parse_qs(environ.get("QUERY_STRING", "")).get("q", [""])[0]
    stream = client.chat.completions.create(model="gpt-e2e", stream=True, messages=[{"role": "user", "content": question}])
    start_response("200 OK", [("content-type", "text/plain; charset=utf-8")])
    return (c.choices[0].delta.content.encode() for c in stream if c.choices and c.choices[0].delta.content)


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


server = make_server("127.0.0.1", 0, CassetteSessionMiddleware(chat), handler_class=Quiet)
print(json.dumps({"url": f"http://127.0.0.1:{server.server_port}"}), flush=True)
server.serve_forever()
