"""Telegram channel through the Bot API, with plain httpx.

A photo with the caption (at most 1,024 characters, which the telegram snippet
keeps to), an album (sendMediaGroup, caption on the first photo) when the
release has several images, or a text message without any. The Bot API has no
way for a bot to read a channel's history, and no idempotency key: a post cut
off between "accepted" and "recorded" is left for the officer to check (see
runner), never sent twice.
"""
from __future__ import annotations

import json
from typing import Mapping

import httpx

from ..config import TelegramChannel
from .channel import ChannelError, Item, Posted, RetryLater, TokenProblem, MediaProblem, Rejected, \
    http_client, image_bytes, send

ENV_TOKEN = "HUMASGEN_TELEGRAM_TOKEN"
ENV_CHAT = "HUMASGEN_TELEGRAM_CHAT_ID"
CAPTION_LIMIT = 1024
TOKEN_HINT = (f"ask @BotFather for the bot's token (/token), store it as the CI secret {ENV_TOKEN}, "
              "and make the bot an administrator of the channel")


class Telegram:
    name = "telegram"
    can_find = False

    def __init__(self, config: TelegramChannel, env: Mapping[str, str], client: httpx.Client | None = None):
        token, self.chat = env.get(ENV_TOKEN, ""), env.get(ENV_CHAT, "")
        if not token:
            raise TokenProblem(f"{ENV_TOKEN} is not set", TOKEN_HINT)
        if not self.chat:
            raise TokenProblem(f"{ENV_CHAT} is not set",
                               f"set {ENV_CHAT} to the channel's @username or its numeric id (-100...)")
        self.base = f"{config.api_base.rstrip('/')}/bot{token}"
        self.client = client or http_client()

    def find(self, item: Item) -> Posted | None:
        return None

    def post(self, item: Item) -> Posted:
        text = item.text
        if not item.images:
            result = self._call("sendMessage", json={"chat_id": self.chat, "text": text[:4096]})
            return self._posted(result)
        caption = text if len(text.encode("utf-16-le")) // 2 <= CAPTION_LIMIT else ""
        files = {f"p{i}": (f"p{i}.jpg", image_bytes(m, self.client), "image/jpeg")
                 for i, m in enumerate(item.images)}
        if len(item.images) == 1:
            result = self._call("sendPhoto", data={"chat_id": self.chat, "caption": caption},
                                files={"photo": files["p0"]})
        else:
            media = [{"type": "photo", "media": f"attach://p{i}", **({"caption": caption} if i == 0 else {})}
                     for i in range(len(item.images))]
            result = self._call("sendMediaGroup", data={"chat_id": self.chat, "media": json.dumps(media)},
                                files=files)
        posted = self._posted(result)
        if not caption:          # too long for a caption: the text follows the photos
            self._call("sendMessage", json={"chat_id": self.chat, "text": text[:4096]})
        return posted

    def _posted(self, result) -> Posted:
        message = result[0] if isinstance(result, list) else result
        chat = message.get("chat", {})
        message_id = str(message["message_id"])
        if chat.get("username"):
            url = f"https://t.me/{chat['username']}/{message_id}"
        elif str(chat.get("id", "")).startswith("-100"):
            url = f"https://t.me/c/{str(chat['id'])[4:]}/{message_id}"
        else:
            url = ""
        return Posted(f"{chat.get('id', self.chat)}/{message_id}", url)

    def _call(self, method: str, **kwargs):
        response = send(self.client, "POST", f"{self.base}/{method}", f"Telegram {method}", _classify, **kwargs)
        body = response.json()
        return body["result"]


def _classify(response: httpx.Response) -> ChannelError | None:
    try:
        body = response.json()
    except ValueError:
        return None
    description = str(body.get("description", ""))
    code = body.get("error_code", response.status_code)
    if code == 429:
        after = (body.get("parameters") or {}).get("retry_after")
        return RetryLater(f"Telegram: {description}", float(after) if after is not None else None)
    if code == 401 or (code == 404 and not description):
        return TokenProblem(f"Telegram refused the bot token ({description or 'Unauthorized'})",
                            "the token was revoked or is wrong: " + TOKEN_HINT)
    if code == 403:
        return TokenProblem(f"Telegram: {description}",
                            "add the bot to the channel as an administrator allowed to post messages")
    if code == 400 and any(word in description.upper() for word in ("IMAGE", "PHOTO", "FILE", "WEBPAGE")):
        return MediaProblem(f"Telegram could not use the image: {description}",
                            "use a JPEG or PNG under 10 MB as the release image")
    if code == 400 and "chat not found" in description.lower():
        return TokenProblem(f"Telegram: {description}", f"check {ENV_CHAT} (the channel's @username or -100... id)")
    if response.status_code >= 500:
        return RetryLater(f"Telegram: HTTP {response.status_code} {description}".strip())
    return Rejected(f"Telegram: {description or response.status_code}")


def open_channel(config: TelegramChannel, env: Mapping[str, str]) -> Telegram:
    return Telegram(config, env)
