"""The official openai package against `cassettes serve`: it reads OPENAI_BASE_URL.
argv: prompt [--miss]. Prints one JSON line."""
import json
import sys

import openai
from openai import OpenAI

client = OpenAI(api_key="placeholder", max_retries=0)
prompt = sys.argv[1]

if "--miss" in sys.argv:
    try:
        client.chat.completions.create(model="gpt-e2e", messages=[{"role": "user", "content": prompt}])
        print(json.dumps({"miss": None}))
    except openai.BadRequestError as error:
        print(json.dumps({"miss": error.body.get("message") if isinstance(error.body, dict) else str(error), "status": error.status_code}))
    sys.exit(0)

stream = client.chat.completions.create(model="gpt-e2e", stream=True, messages=[{"role": "user", "content": prompt}])
pieces = [c.choices[0].delta.content for c in stream if c.choices and c.choices[0].delta.content]
whole = client.chat.completions.create(model="gpt-e2e", messages=[{"role": "user", "content": f"{prompt} again"}])
print(json.dumps({"pieces": pieces, "text": whole.choices[0].message.content}))
