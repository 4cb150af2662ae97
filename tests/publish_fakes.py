"""Local stand-ins for the platforms' APIs, shaped as their reference documentation shows.

One werkzeug server on 127.0.0.1 answers every platform under its own prefix
and serves the built site under /site (Instagram, Threads and Facebook photo
posts fetch the image from there, as the real platforms fetch it from the site).
A test scripts failures for the next post: "429", "500", or "kill" (the server
stores the post, then kills the client process before answering). "expired"
makes the token stop working.
"""
from __future__ import annotations

import base64
import html
import itertools
import json
import logging
import os
import signal
import threading
import time
import urllib.request
from email.utils import formatdate
from pathlib import Path

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

TOKEN = "rahasia-123"
logging.getLogger("werkzeug").setLevel(logging.ERROR)
CID = "bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy"


def _jwt() -> str:
    part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'ES256K', 'typ': 'at+jwt'})}.{part({'sub': 'did:plc:humas', 'exp': int(time.time()) + 7200, 'iat': int(time.time()), 'scope': 'com.atproto.appPass'})}.c2ln"


def _json(data, status=200, headers=None) -> Response:
    return Response(json.dumps(data), status=status, headers=headers or {}, content_type="application/json")


class Platforms:
    def __init__(self, site_dir: Path | None = None):
        self.site_dir = site_dir            # the folder served under /site (the deployed output)
        self.posts: dict[str, list[dict]] = {p: [] for p in
                                             ("telegram", "bluesky", "mastodon", "facebook", "instagram", "threads", "x", "portal")}
        self.script: dict[str, list[str]] = {p: [] for p in self.posts}
        self.expired: set[str] = set()
        self.kill_pid: int | None = None
        self.requests: list[str] = []
        self.ids = itertools.count(1001)
        self.containers: dict[str, dict] = {}
        self.idempotency: dict[str, dict] = {}
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()

    # --- plumbing -------------------------------------------------------------------------
    def app(self, environ, start_response):
        request = Request(environ)
        self.requests.append(f"{request.method} {request.path}")
        platform, _, rest = request.path.lstrip("/").partition("/")
        handler = getattr(self, f"_{platform}", None)
        response = handler(request, rest) if handler else Response("not found", status=404)
        return response(environ, start_response)

    def _next_failure(self, platform: str) -> str | None:
        return self.script[platform].pop(0) if self.script[platform] else None

    def _accepted(self, platform: str, post: dict) -> None:
        self.posts[platform].append(post)
        if self.kill_pid:
            pid, self.kill_pid = self.kill_pid, None
            os.kill(pid, signal.SIGKILL)
            time.sleep(0.5)

    def _fetchable(self, url: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status == 200 and len(response.read()) > 0
        except OSError:
            return False

    def _site(self, request: Request, rest: str) -> Response:
        path = (self.site_dir / rest) if self.site_dir else None
        if path is not None and path.is_dir():
            path = path / "index.html"
        if path is None or not path.is_file():
            return Response("Not Found", status=404)
        return Response(path.read_bytes(), content_type="image/jpeg" if rest.endswith(".jpg") else "application/json")

    # --- Telegram Bot API: {"ok": false, "error_code", "description", "parameters": {"retry_after"}} ----
    def _tg(self, request: Request, rest: str) -> Response:
        bot, _, method = rest.partition("/")
        if bot != f"bot{TOKEN}" or "telegram" in self.expired:
            return _json({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        failure = self._next_failure("telegram")
        if failure == "429":
            return _json({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                          "parameters": {"retry_after": 1}}, 429)
        if failure == "500":
            return _json({"ok": False, "error_code": 500, "description": "Internal Server Error"}, 500)
        form = request.json if request.is_json else request.form
        if form.get("chat_id") != "@humasdemo":
            return _json({"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}, 400)
        photos = [f.read() for f in request.files.values()]
        if method in ("sendPhoto", "sendMediaGroup") and (not photos or not all(photos)):
            return _json({"ok": False, "error_code": 400, "description": "Bad Request: IMAGE_PROCESS_FAILED"}, 400)
        text = form.get("text") or form.get("caption") or ""
        if method == "sendMediaGroup":
            text = json.loads(form["media"])[0].get("caption", "")
        message_id = next(self.ids)
        message = {"message_id": message_id, "sender_chat": {"id": -1001234567890, "title": "Humas Demo",
                   "username": "humasdemo", "type": "channel"}, "chat": {"id": -1001234567890, "title": "Humas Demo",
                   "username": "humasdemo", "type": "channel"}, "date": int(time.time())}
        self._accepted("telegram", {"method": method, "text": text, "photos": len(photos)})
        if method == "sendMediaGroup":
            return _json({"ok": True, "result": [dict(message, message_id=message_id + i) for i in range(len(photos))]})
        return _json({"ok": True, "result": dict(message, text=text) if method == "sendMessage" else
                      dict(message, caption=text, photo=[{"file_id": "AgAD", "file_unique_id": "AQAD",
                                                          "width": 1200, "height": 630}])})

    # --- Bluesky PDS (XRPC): {"error", "message"}; 429 with ratelimit-* headers -----------------
    def _bsky(self, request: Request, rest: str) -> Response:
        nsid = rest.removeprefix("xrpc/")
        if nsid == "com.atproto.server.createSession":
            body = request.json
            if body.get("password") != TOKEN or "bluesky" in self.expired:
                return _json({"error": "AuthenticationRequired", "message": "Invalid identifier or password"}, 401)
            return _json({"accessJwt": _jwt(), "refreshJwt": _jwt(), "handle": "humas.test",
                          "did": "did:plc:humas", "active": True})
        if request.headers.get("Authorization", "").count(".") != 2:
            return _json({"error": "AuthenticationRequired", "message": "Authentication Required"}, 401)
        if nsid == "app.bsky.feed.getAuthorFeed":
            feed = [{"post": {"uri": p["uri"], "cid": CID, "author": {"did": "did:plc:humas", "handle": "humas.test"},
                              "record": p["record"], "indexedAt": "2026-11-20T12:00:00.000Z"}}
                    for p in reversed(self.posts["bluesky"])]
            return _json({"feed": feed})
        failure = self._next_failure("bluesky") if nsid == "com.atproto.repo.createRecord" else None
        if failure == "429":
            return _json({"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}, 429,
                         {"ratelimit-limit": "5000", "ratelimit-remaining": "0",
                          "ratelimit-reset": str(int(time.time()) + 1), "ratelimit-policy": "5000;w=3600"})
        if failure == "500":
            return _json({"error": "InternalServerError", "message": "Internal Server Error"}, 500)
        if nsid == "com.atproto.repo.uploadBlob":
            data = request.get_data()
            if len(data) > 1_000_000:
                return _json({"error": "BlobTooLarge", "message": "This file is too large."}, 400)
            return _json({"blob": {"$type": "blob", "ref": {"$link": CID}, "mimeType": "image/jpeg", "size": len(data)}})
        if nsid == "com.atproto.repo.createRecord":
            body = request.json
            uri = f"at://did:plc:humas/app.bsky.feed.post/3kabc{next(self.ids)}"
            self._accepted("bluesky", {"uri": uri, "record": body["record"], "text": body["record"]["text"]})
            return _json({"uri": uri, "cid": CID, "validationStatus": "valid"})
        return _json({"error": "MethodNotImplemented", "message": "Method Not Implemented"}, 501)

    # --- Mastodon REST API: {"error": "..."}; 429 with X-RateLimit-* headers -------------------
    def _masto(self, request: Request, rest: str) -> Response:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}" or "mastodon" in self.expired:
            return _json({"error": "The access token was revoked"}, 401)
        account = {"id": "1", "username": "humas", "acct": "humas", "display_name": "Humas Demo",
                   "url": f"{self.url}/@humas", "created_at": "2026-01-01T00:00:00.000Z"}
        if rest == "api/v1/accounts/verify_credentials":
            return _json(account)
        if rest == "api/v1/accounts/1/statuses":
            return _json([p["status"] for p in reversed(self.posts["mastodon"])])
        if rest in ("api/v2/media", "api/v1/media"):
            data = request.files["file"].read()
            if not data:
                return _json({"error": "Validation failed: File content type is invalid"}, 422)
            media_id = str(next(self.ids))
            return _json({"id": media_id, "type": "image", "url": f"{self.url}/media/{media_id}.jpg",
                          "description": request.form.get("description")})
        if rest == "api/v1/statuses":
            key = request.headers.get("Idempotency-Key")
            if key in self.idempotency:
                return _json(self.idempotency[key])
            failure = self._next_failure("mastodon")
            if failure == "429":
                reset = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + 1))
                return _json({"error": "Too many requests"}, 429, {"X-RateLimit-Limit": "300",
                             "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset,
                             "Date": formatdate(usegmt=True)})
            if failure == "500":
                return _json({"error": "We're sorry, but something went wrong on our end."}, 500)
            form = request.json if request.is_json else request.form
            status_id = str(next(self.ids))
            status = {"id": status_id, "url": f"{self.url}/@humas/{status_id}", "uri": f"{self.url}/users/humas/statuses/{status_id}",
                      "created_at": "2026-11-20T12:00:00.000Z", "account": account, "visibility": "public",
                      "content": "<p>" + html.escape(form.get("status", "")).replace("\n", "<br>") + "</p>",
                      "media_attachments": [{"id": m, "type": "image"} for m in (form.getlist("media_ids[]")
                                            if hasattr(form, "getlist") else form.get("media_ids") or [])],
                      "language": form.get("language")}
            if key:
                self.idempotency[key] = status
            self._accepted("mastodon", {"status": status, "text": form.get("status", ""), "key": key,
                                        "media": len(status["media_attachments"])})
            return _json(status)
        return _json({"error": "Record not found"}, 404)

    # --- Meta Graph API (Facebook Page, Instagram, Threads): {"error": {"message", "type", "code", ...}} ---
    def _graph_error(self, platform: str, failure: str | None) -> Response | None:
        if platform in self.expired:
            return _json({"error": {"message": "Error validating access token: Session has expired on Friday, "
                                    "20-Nov-26 04:00:00 PST. The current time is Friday, 20-Nov-26 04:30:00 PST.",
                                    "type": "OAuthException", "code": 190, "error_subcode": 463,
                                    "fbtrace_id": "AbCdEf"}}, 400)
        if failure == "429":
            usage = {"1234": [{"type": "pages", "call_count": 100, "total_cputime": 25, "total_time": 25,
                               "estimated_time_to_regain_access": 1}]}
            return _json({"error": {"message": "(#32) Page request limit reached", "type": "OAuthException",
                                    "code": 32, "fbtrace_id": "AbCdEf"}}, 400,
                         {"X-Business-Use-Case-Usage": json.dumps(usage)})
        if failure == "500":
            return _json({"error": {"message": "An unexpected error has occurred. Please retry your request later.",
                                    "type": "OAuthException", "code": 2, "is_transient": True,
                                    "fbtrace_id": "AbCdEf"}}, 500)
        return None

    def _authorized(self, request: Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {TOKEN}" or request.args.get("access_token") == TOKEN

    def _media_error(self, url: str) -> Response:
        return _json({"error": {"message": "Only photo or video can be accepted as media type.", "type": "OAuthException",
                                "code": 9004, "error_subcode": 2207052, "is_transient": False,
                                "error_user_title": "Media download has failed",
                                "error_user_msg": f"The media could not be fetched from this URI: {url}.",
                                "fbtrace_id": "AbCdEf"}}, 400)

    def _fb(self, request: Request, rest: str) -> Response:
        if not self._authorized(request):
            return _json({"error": {"message": "Invalid OAuth access token - Cannot parse access token",
                                    "type": "OAuthException", "code": 190, "fbtrace_id": "AbCdEf"}}, 400)
        if rest == "debug_token":
            return _json({"data": {"app_id": "1", "type": "PAGE", "is_valid": "facebook" not in self.expired,
                                   "expires_at": 0, "data_access_expires_at": int(time.time()) + 86400 * 80}})
        error = self._graph_error("facebook", self._next_failure("facebook") if request.method == "POST" else None)
        if error:
            return error
        page, _, edge = rest.partition("/")
        if request.method == "GET" and edge == "posts":
            return _json({"data": [{"id": p["id"], "message": p["text"],
                                    "permalink_url": f"https://www.facebook.com/{p['id']}"}
                                   for p in reversed(self.posts["facebook"])], "paging": {}})
        if edge == "feed":
            post_id = f"{page}_{next(self.ids)}"
            self._accepted("facebook", {"id": post_id, "text": request.form["message"], "link": request.form["link"]})
            return _json({"id": post_id})
        if edge == "photos":
            if not self._fetchable(request.form["url"]):
                return self._media_error(request.form["url"])
            photo = str(next(self.ids))
            self._accepted("facebook", {"id": f"{page}_{photo}", "text": request.form["caption"], "photo": True})
            return _json({"id": photo, "post_id": f"{page}_{photo}"})
        return _json({"error": {"message": "Unsupported request", "type": "GraphMethodException", "code": 100}}, 400)

    def _container_flow(self, platform: str, request: Request, rest: str, publish_edge: str, list_edge: str,
                        text_key: str, status_key: str) -> Response:
        if not self._authorized(request):
            return _json({"error": {"message": "Invalid OAuth access token - Cannot parse access token",
                                    "type": "OAuthException", "code": 190, "fbtrace_id": "AbCdEf"}}, 400)
        user, _, edge = rest.partition("/")
        if edge in ("media", "threads") and request.method == "POST":
            error = self._graph_error(platform, self._next_failure(platform))
            if error:
                return error
            url = request.form.get("image_url")
            if url and not self._fetchable(url):
                return self._media_error(url)
            container = str(next(self.ids))
            self.containers[container] = dict(request.form)
            return _json({"id": container})
        error = self._graph_error(platform, None)
        if error:
            return error
        if edge == publish_edge:
            form = self.containers.pop(request.form["creation_id"], None)
            if form is None:
                return _json({"error": {"message": "Invalid parameter", "type": "OAuthException", "code": 100}}, 400)
            post_id = str(next(self.ids))
            children = form.get("children", "").split(",") if form.get("children") else []
            self._accepted(platform, {"id": post_id, "text": form.get(text_key, ""), "children": len(children),
                                      "image_url": form.get("image_url")})
            return _json({"id": post_id})
        if edge == list_edge and request.method == "GET":
            return _json({"data": [{"id": p["id"], text_key: p["text"], "permalink": f"https://example.test/p/{p['id']}"}
                                   for p in reversed(self.posts[platform])]})
        if not edge and user in self.containers:
            return _json({"id": user, status_key: "FINISHED"})
        if not edge and any(p["id"] == user for p in self.posts[platform]):
            return _json({"id": user, "permalink": f"https://example.test/p/{user}"})
        return _json({"error": {"message": "Unsupported get request.", "type": "GraphMethodException", "code": 100}}, 400)

    def _ig(self, request: Request, rest: str) -> Response:
        if rest == "debug_token":
            return _json({"data": {"is_valid": True, "expires_at": int(time.time()) + 86400 * 3}})
        return self._container_flow("instagram", request, rest, "media_publish", "media", "caption", "status_code")

    def _th(self, request: Request, rest: str) -> Response:
        return self._container_flow("threads", request, rest, "threads_publish", "threads", "text", "status")

    # --- X API v2: problem details {"title", "detail", "type", "status"}; x-rate-limit-* headers ---------
    def _x(self, request: Request, rest: str) -> Response:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}" or "x" in self.expired:
            return _json({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}, 401)
        if rest == "2/users/me":
            return _json({"data": {"id": "42", "name": "Humas Demo", "username": "humasdemo"}})
        if rest == "2/users/42/tweets":
            return _json({"data": [{"id": p["id"], "text": p["text"],
                                    "entities": {"urls": [{"expanded_url": u} for u in p["urls"]]}}
                                   for p in reversed(self.posts["x"])], "meta": {"result_count": len(self.posts["x"])}})
        if rest == "2/tweets" and request.method == "POST":
            failure = self._next_failure("x")
            if failure == "429":
                return _json({"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank",
                              "status": 429}, 429, {"x-rate-limit-limit": "100", "x-rate-limit-remaining": "0",
                                                    "x-rate-limit-reset": str(int(time.time()) + 1)})
            if failure == "500":
                return _json({"title": "Service Unavailable", "detail": "Service Unavailable",
                              "type": "about:blank", "status": 503}, 503)
            text = request.json["text"]
            tweet_id = str(next(self.ids))
            urls = [w for w in text.split() if w.startswith("http")]
            self._accepted("x", {"id": tweet_id, "text": text.replace(urls[0], "https://t.co/abc") if urls else text,
                                 "urls": urls})
            return _json({"data": {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id]}}, 201)
        return _json({"title": "Not Found Error", "type": "about:blank", "status": 404, "detail": "Not Found"}, 404)

    # --- A provincial news portal's API, for a plugin's channel (tests: test_publish_plugins.py) -------------
    def _portal(self, request: Request, rest: str) -> Response:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}" or "portal" in self.expired:
            return _json({"pesan": "token tidak sah"}, 401)
        if rest == "api/berita" and request.method == "GET":
            return _json({"data": [{"id": p["id"], "url": p["url"], "tautan": p["tautan"]}
                                   for p in reversed(self.posts["portal"])]})
        if rest == "api/berita" and request.method == "POST":
            failure = self._next_failure("portal")
            if failure == "500":
                return _json({"pesan": "server sibuk"}, 503)
            post_id = str(next(self.ids))
            body = request.json
            post = {"id": post_id, "url": f"{self.url}/portal/berita/{post_id}", "text": body["judul"],
                    "tautan": body["tautan"], "gambar": body.get("gambar"), "rubrik": body.get("rubrik")}
            self._accepted("portal", post)
            return _json({"id": post_id, "url": post["url"]}, 201)
        return _json({"pesan": "tidak ditemukan"}, 404)
