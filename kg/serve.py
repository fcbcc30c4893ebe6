"""`kg serve`: Oxigraph's own read-only SPARQL server, behind a gate.

Oxigraph's server evaluates SERVICE (federation: the server fetches any URL a query names, an
SSRF) and knows only "CORS for every origin" or none. So it listens on a private loopback port,
and `kg serve` answers on the public one with a small forwarding gate (the standard library's
HTTP server): it refuses a query or update that uses SERVICE unless `--allow-service`, adds
`Access-Control-Allow-Origin` only for the origins given with `--cors ORIGIN`, and passes
everything else through unchanged (results, content negotiation, the query page). The server
process dies with kg: SIGTERM, SIGHUP and Ctrl-C are passed on, and the kernel kills it if kg is
killed outright (PR_SET_PDEATHSIG). While it runs, it holds the store's shared lock, so a load
into the same store refuses instead of changing data under it.
"""
from __future__ import annotations

import http.client
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

from .query import uses_service

MAX_BODY = 1 << 20  # a query is text: a larger request body is refused
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "content-length"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM it when its parent dies, however the parent dies."""
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def sparql_texts(query_string: str, body: bytes, content_type: str) -> list[str]:
    """Every query or update text a request carries, in the URL or in the body."""
    texts = []
    qs = urllib.parse.parse_qs(query_string, keep_blank_values=True)
    texts += qs.get("query", []) + qs.get("update", [])
    ctype = content_type.split(";")[0].strip().lower()
    if body:
        if ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            texts += form.get("query", []) + form.get("update", [])
        else:  # application/sparql-query, application/sparql-update, or anything a server might take
            texts.append(body.decode("utf-8", "replace"))
    return texts


def query_page() -> bytes:
    """kg's own query page (Oxigraph's fetches a prefix list from the internet and knows neither
    kg's prefixes nor its queries): a textarea with kg's prefixes, the named queries as examples,
    results drawn with textContent. It makes no request but to this server."""
    import json
    from importlib import resources

    from .query import describe, named_queries
    from .rdf import PREFIXES
    queries = {name: path.read_text(encoding="utf-8") for name, path in named_queries().items()}
    data = {"prefixes": "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()),
            "examples": [[name, describe(path)] for name, path in named_queries().items()], "queries": queries}
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    page = (resources.files("kg") / "templates" / "query.html").read_text(encoding="utf-8")
    return page.replace("/*KG_DATA*/", payload).encode("utf-8")


def make_gate(upstream: tuple[str, int], cors: set[str], allow_service: bool):
    page = query_page()

    class Gate(http.server.BaseHTTPRequestHandler):
        server_version = "kg-serve"
        protocol_version = "HTTP/1.0"

        def log_message(self, fmt, *args):  # quiet, like Oxigraph's own server
            pass

        def _cors_headers(self) -> None:
            origin = self.headers.get("Origin")
            if origin and origin in cors:
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Vary", "Origin")

        def _refuse(self, status: int, message: str) -> None:
            data = (message + "\n").encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self._cors_headers()
            self.end_headers()
            self.wfile.write(data)

        def do_OPTIONS(self):
            if self.headers.get("Origin") not in cors:
                self._refuse(403, "cross-origin requests are not allowed (kg serve --cors ORIGIN allows one)")
                return
            self.send_response(204)
            self._cors_headers()
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):
            if urllib.parse.urlsplit(self.path).path in ("/", "/index.html"):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
                return
            self._forward(b"")

        def do_HEAD(self):
            self._forward(b"")

        def do_POST(self):
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if length < 0 or length > MAX_BODY:
                self._refuse(413, f"request body over {MAX_BODY} bytes")
                return
            self._forward(self.rfile.read(length))

        def _forward(self, body: bytes) -> None:
            parsed = urllib.parse.urlsplit(self.path)
            texts = sparql_texts(parsed.query, body, self.headers.get("Content-Type", ""))
            if not allow_service and any(uses_service(t) for t in texts):
                self._refuse(403, "SERVICE (federation) is refused: it would make the server fetch other URLs; "
                                  "start kg serve with --allow-service to allow it")
                return
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() in {"accept", "content-type", "accept-language"}}
            conn = http.client.HTTPConnection(*upstream, timeout=600)
            try:
                conn.request(self.command, self.path, body or None, headers)
                resp = conn.getresponse()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in HOP_BY_HOP and not k.lower().startswith("access-control-"):
                        self.send_header(k, v)
                self._cors_headers()
                self.send_header("Connection", "close")
                self.end_headers()
                while chunk := resp.read(1 << 16):
                    self.wfile.write(chunk)
            except (OSError, http.client.HTTPException):
                try:
                    self._refuse(502, "the SPARQL server did not answer")
                except OSError:
                    pass
            finally:
                conn.close()
    return Gate


def serve(exe: str, location: str, host: str, port: int, timeout: int, *, cors: set[str],
          allow_service: bool, on_ready=None) -> int:
    """Run Oxigraph's read-only server on a private port and the gate on ``host:port`` until a
    signal; returns the exit status."""
    from .store import store_lock
    lock = store_lock(location, shared=True)  # a load now refuses: no data changes under the server
    inner = free_port()
    proc = subprocess.Popen([exe, "serve-read-only", "--location", location, "--bind", f"127.0.0.1:{inner}",
                             "--union-default-graph", "--timeout-s", str(timeout)],
                            preexec_fn=_die_with_parent, stdout=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while True:
            if proc.poll() is not None:
                return proc.returncode or 1
            try:
                socket.create_connection(("127.0.0.1", inner), timeout=0.5).close()
                break
            except OSError:
                if time.time() > deadline:
                    return 1
                time.sleep(0.1)
        try:
            httpd = http.server.ThreadingHTTPServer((host, port), make_gate(("127.0.0.1", inner), cors, allow_service))
        except OSError as e:
            raise OSError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
        httpd.daemon_threads = True
        stop = threading.Event()

        def on_signal(signum, frame):
            stop.set()
            threading.Thread(target=httpd.shutdown, daemon=True).start()
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, on_signal)
        if on_ready:
            on_ready()
        watcher = threading.Thread(target=lambda: (proc.wait(), stop.is_set() or httpd.shutdown()), daemon=True)
        watcher.start()  # the server died on its own: stop serving too
        httpd.serve_forever(poll_interval=0.2)
        httpd.server_close()
        return 0 if stop.is_set() else (proc.returncode or 1)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        os.close(lock)
        sys.stdout.flush()
