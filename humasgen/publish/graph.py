"""What Facebook, Instagram and Threads share: Meta's Graph API error bodies and token check.

Errors come as {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}.
Code 190 is an expired or revoked token; 4, 17, 32, 613 and 80001-80014 are rate
limits (the wait is in X-Business-Use-Case-Usage, in minutes); 2207052 is a
media URL the platform could not fetch.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

import httpx

from .channel import ChannelError, MediaProblem, Rejected, RetryLater, TokenProblem, retry_after, send

RATE_CODES = {4, 17, 32, 613} | set(range(80001, 80015))
TOKEN_SUBCODES = {458: "the app was removed from the account", 459: "the account is checkpointed",
                  460: "the password was changed", 463: "the token has expired",
                  464: "the account is not confirmed", 467: "the token is no longer valid"}
MEDIA_SUBCODES = {2207052, 2207003, 2207020, 2207026, 2207004}


def classify(platform: str, token_hint: str):
    def check(response: httpx.Response) -> ChannelError | None:
        try:
            error = response.json().get("error") or {}
        except (ValueError, AttributeError):
            return None
        if not isinstance(error, dict) or not error:
            return None
        code, subcode = error.get("code"), error.get("error_subcode")
        message = f"{platform}: {error.get('message', 'error')} (code {code}" + \
                  (f", subcode {subcode})" if subcode else ")")
        if code == 190 or code == 102:
            reason = TOKEN_SUBCODES.get(subcode, "the token is not valid")
            return TokenProblem(f"{message}: {reason}", token_hint)
        if code == 10 or (isinstance(code, int) and 200 <= code <= 299):
            return TokenProblem(f"{message}: a permission is missing", token_hint)
        if code in RATE_CODES or response.status_code == 429:
            return RetryLater(message, retry_after(response.headers) or _usage_wait(response.headers))
        if code == 9004 or subcode in MEDIA_SUBCODES:
            return MediaProblem(message, "the image must be online at its public URL (deploy first) "
                                         "and be a JPEG under 8 MB")
        if error.get("is_transient") or code in (1, 2) or response.status_code >= 500:
            return RetryLater(message, retry_after(response.headers))
        return Rejected(message)
    return check


def _usage_wait(headers) -> float | None:
    """Minutes until access is regained, from X-Business-Use-Case-Usage / X-App-Usage."""
    raw = headers.get("x-business-use-case-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
        minutes = max(entry.get("estimated_time_to_regain_access", 0)
                      for entries in usage.values() for entry in entries)
    except (ValueError, AttributeError, TypeError):
        return None
    return float(minutes) * 60


def call(client: httpx.Client, method: str, url: str, what: str, platform: str, token_hint: str, **kwargs) -> dict:
    return send(client, method, url, f"{platform} {what}", classify(platform, token_hint), **kwargs).json()


def token_expiry(client: httpx.Client, api_base: str, token: str) -> datetime | None:
    """When the token stops working, from /debug_token (None: never, or unknown)."""
    try:
        response = client.get(f"{api_base}/debug_token", params={"input_token": token, "access_token": token})
        data = response.json().get("data", {}) if response.is_success else {}
    except (httpx.HTTPError, ValueError, AttributeError):
        return None
    stamps = [data.get("expires_at") or 0, data.get("data_access_expires_at") or 0]
    stamps = [s for s in stamps if isinstance(s, (int, float)) and s > 0]
    return datetime.fromtimestamp(min(stamps), timezone.utc) if stamps else None
