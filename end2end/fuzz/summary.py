"""Summarises schemathesis NDJSON reports: operations, requests, server errors, errors that
are not JSON, and check failures (schema violations, undocumented status codes or content
types), each failure with its operation and request. Exits 1 if anything failed.

    python3 summary.py admin.ndjson viewer.ndjson
"""

import base64
import json
import sys
from collections import Counter


def decode(blob):
    if not blob:
        return ""
    raw = base64.b64decode(blob.get("$base64", "")) if "$base64" in blob else str(blob).encode()
    return raw.decode("utf-8", "replace")


def header(headers, name):
    for key, values in (headers or {}).items():
        if key.lower() == name:
            return values[0] if values else ""
    return ""


def short(text, limit=300):
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"


def read(path):
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def main(paths):
    operations = set()
    selected = 0
    requests = 0
    statuses = Counter()
    server_errors = []
    not_json = []
    failures = {}
    engine_errors = []
    for path in paths:
        role = path.rsplit("/", 1)[-1].split(".")[0]
        try:
            events = list(read(path))
        except FileNotFoundError:
            engine_errors.append(f"{role}: no report at {path}")
            continue
        for event in events:
            if "LoadingFinished" in event:
                stats = event["LoadingFinished"].get("statistic", {}).get("operations", {})
                selected = max(selected, stats.get("selected", 0))
            if "NonFatalError" in event or "FatalError" in event:
                error = event.get("NonFatalError") or event.get("FatalError")
                value = error.get("value", {})
                engine_errors.append(
                    f"{role}: {error.get('label', '')} {value.get('type', '')}: {value.get('message', '')}"
                )
            if "ScenarioFinished" not in event:
                continue
            recorder = event["ScenarioFinished"]["recorder"]
            label = recorder["label"]
            interactions = recorder.get("interactions", {})
            if interactions and " /" in label:
                operations.add(label)
            for case_id, interaction in interactions.items():
                request, response = interaction["request"], interaction.get("response")
                if response is None:
                    continue
                requests += 1
                status = response["status_code"]
                statuses[status] += 1
                content_type = header(response.get("headers"), "content-type")
                where = f"{role}: {label}: {request['method']} {request['uri']} {short(decode(request.get('body')), 200)}"
                answer = f"-> {status} {content_type} {short(decode(response.get('content')))}"
                if status >= 500:
                    server_errors.append(f"{where} {answer}")
                elif status >= 400 and not content_type.startswith("application/json"):
                    not_json.append(f"{where} {answer}")
            for case_id, checks in recorder.get("checks", {}).items():
                for check in checks:
                    if check["status"] == "success":
                        continue
                    failure = check.get("failure_info", {}).get("failure", {})
                    interaction = interactions.get(case_id, {})
                    request = interaction.get("request", {})
                    response = interaction.get("response") or {}
                    key = (check["name"], label, failure.get("message", ""))
                    failures.setdefault(
                        key,
                        f"{role}: {label}: {failure.get('title', check['name'])}: "
                        f"{short(failure.get('message', ''))}\n"
                        f"      {request.get('method', '')} {request.get('uri', '')} "
                        f"{short(decode(request.get('body')), 200)}\n"
                        f"      -> {response.get('status_code', '')} {short(decode(response.get('content')))}",
                    )
    by_check = Counter(name for name, _, _ in failures)
    print(f"operations: {len(operations)} tested of {selected} selected")
    print(f"requests: {requests} ({', '.join(f'{s}: {n}' for s, n in sorted(statuses.items()))})")
    print(f"server errors: {len(server_errors)}")
    print(f"non-JSON errors: {len(not_json)}")
    print(f"schema violations: {by_check['response_schema_conformance']}")
    print(f"undocumented status codes: {by_check['status_code_conformance']}")
    print(f"undocumented content types: {by_check['content_type_conformance']}")
    print(f"fuzzer errors: {len(engine_errors)}")
    for title, items in [
        ("Server errors", server_errors),
        ("Errors that are not JSON", not_json),
        ("Check failures", list(failures.values())),
        ("Fuzzer errors", engine_errors),
    ]:
        if items:
            print(f"\n{title}:")
            for item in items[:50]:
                print(f"  - {item}")
            if len(items) > 50:
                print(f"  … and {len(items) - 50} more")
    failed = server_errors or not_json or failures or engine_errors or requests == 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
