#!/usr/bin/env python3
"""A small client of the Shikhon API v1, with nothing but Python's standard library.

It signs in with a personal access token (officers, national administrators and researchers make one on their
profile page: Profile → API access tokens; a partner's app is given one), lists the published courses, enrols in
one, marks the first open module's activities done, starts the module's quiz, sends answers and prints the score
the server gives. Answers are scored on the server only: a client never learns
the right answers before it submits.

    SHIKHON_TOKEN=shk_… python3 docs/api-client-example.py --base-url https://shikhon.example.gov.bd
    SHIKHON_TOKEN=shk_… python3 docs/api-client-example.py --base-url http://127.0.0.1:8000 --course anonde-gonit-shikhi

Every answer that is not a success has one shape, `{"error": {"code", "message", "details"}}`; the message is a
sentence in the language of the Accept-Language header (here: English). A state refusal (module locked, quiz
already submitted) is 409 with `details.reason`. The test `shikhon/api/tests/test_client_example.py` runs this
script against a live test server, so it stays true.
"""

# ruff: noqa: T201 - a command-line example: it prints what it does
from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit


class ApiError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        error = body.get("error", {})
        self.status, self.code = status, error.get("code", "")
        self.reason = error.get("details", {}).get("reason", "")
        super().__init__(f"{status} {self.code}: {error.get('message', '')}")


class Shikhon:
    """`GET` and `POST` JSON with the token in the Authorization header."""

    def __init__(self, base_url: str, token: str, *, language: str = "en") -> None:
        if urlsplit(base_url).scheme not in ("http", "https"):
            raise ValueError("the base URL must start with https:// (or http:// for a local server)")
        self.base = base_url.rstrip("/") + "/api/v1"
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json",
                        "Accept-Language": language}

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        headers = dict(self.headers, **({"Content-Type": "application/json"} if data is not None else {}))
        # Only http(s) addresses get here (checked in __init__), so urllib opens no file: or custom scheme.
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return json.loads(response.read().decode())
        except urllib.error.HTTPError as error:
            raise ApiError(error.code, json.loads(error.read().decode() or "{}")) from None

    def get(self, path: str) -> Any:
        return self.call("GET", path)

    def post(self, path: str, body: Any = None) -> Any:
        return self.call("POST", path, body)


def choose_answers(questions: list[dict[str, Any]]) -> dict[str, list[str]]:
    """A teacher would answer; this example picks the first choice (or types 0) for each question."""
    answers: dict[str, list[str]] = {}
    for question in questions:
        if question["kind"] == "numeric":
            answers[str(question["id"])] = ["0"]
        elif question["choices"]:
            answers[str(question["id"])] = [str(question["choices"][0]["id"])]
    return answers


def run(api: Shikhon, *, course_slug: str | None = None, out: Any = sys.stdout) -> dict[str, Any]:
    """The whole walk; answers the submitted attempt."""
    me = api.get("/me")
    print(f"Signed in as {me['name_en'] or me['name_bn']} ({me['phone']}).", file=out)

    courses = api.get("/courses?limit=20")
    print(f"{courses['count']} published course(s):", file=out)
    for course in courses["items"]:
        print(f"  - {course['slug']}: {course['title']} ({course['estimated_hours']} h)", file=out)
    if not courses["items"]:
        raise SystemExit("No course is published yet.")
    slug = course_slug or courses["items"][0]["slug"]

    detail = api.post(f"/courses/{slug}/enrol")
    print(f"Enrolled in {detail['title']} (version {detail['version']}).", file=out)

    module = next(m for m in detail["modules"] if m["progress"]["unlocked"] and not m["progress"]["finished"])
    for activity in module["activities"]:
        if activity["id"] not in module["progress"]["done_activity_ids"]:
            api.post(f"/activities/{activity['id']}/done")
            print(f"  Done: {activity['title']}", file=out)
    if module["quiz"] is None:
        raise SystemExit(f"Module {module['number']} has no quiz.")

    attempt = api.post(f"/quizzes/{module['quiz']['id']}/attempts")
    print(f"Quiz of module {module['number']}: attempt {attempt['number']}, {len(attempt['questions'])} questions.",
          file=out)
    try:
        attempt = api.post(f"/attempts/{attempt['id']}/submit", {"answers": choose_answers(attempt["questions"])})
    except ApiError as error:
        if error.reason != "already_submitted":
            raise
        attempt = api.get(f"/attempts/{attempt['id']}")
    result = attempt["result"]
    verdict = "passed" if result["passed"] else f"not passed (pass mark {result['pass_percent']}%)"
    print(f"Score: {result['score_percent']}% ({result['correct_count']} of {result['total']}), {verdict}.", file=out)
    return attempt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default=os.environ.get("SHIKHON_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--token", default=os.environ.get("SHIKHON_TOKEN", ""),
                        help="A personal access token (shk_…); or set SHIKHON_TOKEN.")
    parser.add_argument("--course", default=None, help="The course's slug (default: the first in the catalogue).")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("give a personal access token with --token or SHIKHON_TOKEN")
    try:
        run(Shikhon(args.base_url, args.token), course_slug=args.course)
    except ApiError as error:
        print(f"Refused: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
