#!/usr/bin/python3
"""A local stand-in for the Telegram Bot API, for dsr's bot tests.

It speaks the documented JSON of the methods the bot uses (getMe, getUpdates,
setWebhook, deleteWebhook, sendMessage, sendDocument with a multipart upload,
answerCallbackQuery) at /bot<TOKEN>/<method>, serves updates that the test scripts,
records every call the bot makes, and fails calls on request (429 with retry_after,
5xx) so the bot's retries can be watched.

Control endpoints for the test (not part of the Bot API):
  POST /control/updates       JSON array of updates to serve, in order
  POST /control/raw_update    one update as raw bytes (may be invalid UTF-8 or JSON)
  POST /control/fail          {"method", "status", "retry_after"?, "times"}: the next
                              `times` calls of method answer with that status
  GET  /control/calls         every call so far, as a JSON array
  GET  /control/files/<name>  a document the bot uploaded

Usage: bot_api_server.py --token TOKEN --port-file FILE --dir DIR
Listens on 127.0.0.1 on a free port, which it writes to FILE once it accepts calls.
"""

import argparse
import email.parser
import email.policy
import hashlib
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_TEXT = 4096
MAX_CAPTION = 1024


class State:
    def __init__(self, token, folder):
        self.token = token
        self.folder = folder
        self.lock = threading.Condition()
        self.updates = []  # (update_id, raw bytes)
        self.calls = []
        self.failures = {}  # method -> list of (status, retry_after)
        self.webhook = None
        self.next_message_id = 1


def now():
    return round(time.time(), 4)


def ok(result):
    return 200, {"ok": True, "result": result}


def error(code, description, **parameters):
    body = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return code, body


def check_keyboard(markup):
    """The reply_markup rules of the Bot API: rows of buttons, callback_data 1-64 bytes."""
    if markup is None:
        return None
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list):
        return "reply_markup: inline_keyboard must be an array"
    for row in rows:
        if not isinstance(row, list):
            return "reply_markup: each row must be an array"
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str) or not button["text"]:
                return "reply_markup: a button needs a text"
            data = button.get("callback_data", "")
            if not 1 <= len(data.encode("utf-8")) <= 64:
                return "BUTTON_DATA_INVALID"
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, format, *args):  # quiet: the test prints what matters
        pass

    def reply(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        self.dispatch(b"")

    def do_POST(self):
        self.dispatch(self.body())

    def dispatch(self, raw):
        path = self.path.split("?", 1)[0]
        if path.startswith("/control/"):
            return self.control(path[len("/control/"):], raw)
        prefix = "/bot" + self.state.token + "/"
        if not path.startswith(prefix):
            return self.reply(*error(401, "Unauthorized"))
        method = path[len(prefix):]
        params, files = self.parameters(raw)
        if params is None:
            return self.reply(*error(400, "Bad Request: cannot parse parameters"))
        st = self.state
        with st.lock:
            call = {"method": method, "at": now(), "params": params}
            if files:
                call["files"] = files
            st.calls.append(call)
            queued = st.failures.get(method)
            if queued:
                status, retry_after = queued.pop(0)
                call["answered"] = status
                if status == 429:
                    return self.reply(*error(429, "Too Many Requests: retry after %d" % retry_after,
                                             retry_after=retry_after))
                return self.reply(status, {"ok": False, "error_code": status, "description": "Internal Server Error"})
        handler = getattr(self, "m_" + method, None)
        if handler is None:
            status, body = error(404, "Not Found: method not found")
        else:
            status, body = handler(params, files)
        with st.lock:
            call["answered"] = status
        self.reply(status, body)

    def parameters(self, raw):
        content_type = self.headers.get("Content-Type", "")
        if content_type.startswith("multipart/form-data"):
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw)
            params, files = {}, {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                filename = part.get_filename()
                payload = part.get_payload(decode=True) or b""
                if filename is not None:
                    saved = os.path.join(self.state.folder, "upload-%d-%s" % (len(self.state.calls), os.path.basename(filename)))
                    with open(saved, "wb") as out:
                        out.write(payload)
                    files[name] = {"filename": filename, "size": len(payload),
                                   "sha256": hashlib.sha256(payload).hexdigest(), "saved": saved,
                                   "content_type": part.get_content_type()}
                else:
                    params[name] = payload.decode("utf-8")
            return params, files
        if not raw:
            return {}, {}
        try:
            return json.loads(raw.decode("utf-8")), {}
        except ValueError:
            return None, {}

    # --- Bot API methods -------------------------------------------------------------

    def m_getMe(self, params, files):
        return ok({"id": 7000000001, "is_bot": True, "first_name": "dsr test bot", "username": "dsr_test_bot",
                   "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False})

    def m_getUpdates(self, params, files):
        st = self.state
        if st.webhook:
            return error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset", 0))
        limit = max(1, min(100, int(params.get("limit", 100))))
        timeout = max(0, int(params.get("timeout", 0)))
        deadline = time.time() + timeout
        with st.lock:
            # An offset confirms every update below it: they are gone for good, as on Telegram.
            st.updates = [u for u in st.updates if u[0] >= offset]
            while not st.updates and time.time() < deadline:
                st.lock.wait(deadline - time.time())
            chosen = [u[1] for u in st.updates[:limit]]
        body = b'{"ok":true,"result":[' + b",".join(chosen) + b"]}"
        return 200, body

    def m_setWebhook(self, params, files):
        self.state.webhook = {"url": params.get("url"), "secret_token": params.get("secret_token"),
                              "max_connections": params.get("max_connections", 40)}
        return ok(True)

    def m_deleteWebhook(self, params, files):
        self.state.webhook = None
        return ok(True)

    def chat_check(self, params):
        if not isinstance(params.get("chat_id"), (int, str)) or str(params.get("chat_id")) in ("", "0"):
            return error(400, "Bad Request: chat_id is empty")
        return None

    def new_message(self, params, **extra):
        with self.state.lock:
            message_id = self.state.next_message_id
            self.state.next_message_id += 1
        message = {"message_id": message_id, "date": int(time.time()),
                   "chat": {"id": int(params["chat_id"]), "type": "private"}}
        message.update(extra)
        return message

    def m_sendMessage(self, params, files):
        problem = self.chat_check(params)
        if problem:
            return problem
        text = params.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= MAX_TEXT:
            return error(400, "Bad Request: message text is empty or too long")
        bad = check_keyboard(params.get("reply_markup"))
        if bad:
            return error(400, "Bad Request: " + bad)
        return ok(self.new_message(params, text=text))

    def m_sendDocument(self, params, files):
        problem = self.chat_check(params)
        if problem:
            return problem
        document = files.get("document")
        if not document:
            return error(400, "Bad Request: there is no document in the request")
        if len(params.get("caption", "")) > MAX_CAPTION:
            return error(400, "Bad Request: message caption is too long")
        if document["size"] > 50 * 1000 * 1000:
            return error(413, "Request Entity Too Large")
        return ok(self.new_message(params, document={"file_name": document["filename"],
                                                     "file_size": document["size"]}))

    def m_answerCallbackQuery(self, params, files):
        if not params.get("callback_query_id"):
            return error(400, "Bad Request: query_id is empty")
        return ok(True)

    # --- control ---------------------------------------------------------------------

    def control(self, what, raw):
        st = self.state
        if what == "updates":
            updates = json.loads(raw.decode("utf-8"))
            with st.lock:
                for update in updates:
                    st.updates.append((update["update_id"], json.dumps(update, ensure_ascii=False).encode("utf-8")))
                st.lock.notify_all()
            return self.reply(200, {"queued": len(updates)})
        if what.startswith("raw_update"):
            update_id = int(self.path.split("update_id=", 1)[1])
            with st.lock:
                st.updates.append((update_id, raw))
                st.lock.notify_all()
            return self.reply(200, {"queued": 1})
        if what == "fail":
            rule = json.loads(raw.decode("utf-8"))
            with st.lock:
                st.failures.setdefault(rule["method"], []).extend(
                    [(int(rule["status"]), int(rule.get("retry_after", 0)))] * int(rule.get("times", 1)))
            return self.reply(200, {"ok": True})
        if what == "calls":
            with st.lock:
                return self.reply(200, {"calls": st.calls, "webhook": st.webhook})
        return self.reply(404, {"error": "unknown control " + what})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--token", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    Handler.state = State(args.token, args.dir)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    temporary = args.port_file + ".tmp"
    with open(temporary, "w") as out:
        out.write(str(server.server_address[1]))
    os.rename(temporary, args.port_file)  # the test sees the whole port or nothing
    server.serve_forever()


if __name__ == "__main__":
    main()
