"""`kg serve`: a read-only SPARQL 1.1 endpoint over the store, answered by kg itself.

There is no inner server. Oxigraph's own server listened on a loopback port that any local
process (or a query) could reach directly, past every check; it cannot bind a Unix socket and
checks no header. So kg answers the SPARQL protocol itself: the standard library's HTTP server
reads the request strictly (one Host, one Content-Type, one Content-Length, no chunked bodies,
the query given once), checks Host (DNS rebinding) and the page's origin, refuses SERVICE on the
parsed query (kg.query.uses_service) unless ``--allow-service``, and hands the query to a pool
of worker processes, each with the store opened read-only by pyoxigraph. A query that runs past
``--timeout`` has its worker killed (Oxigraph's own timeout did not stop every query), so a
runaway query never outlives its limit. Workers die with kg: they watch a pipe kg holds open.
While it runs, kg holds the store's shared lock, so a load into the same store refuses.
"""
from __future__ import annotations

import http.server
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.parse

MAX_BODY = 1 << 20          # a query is text: a larger request body is refused
MAX_RESULT = 256 << 20      # a larger result is refused (ask for less: LIMIT)
RESULT_TYPES = {  # media type → pyoxigraph format name, for SELECT/ASK and for CONSTRUCT/DESCRIBE
    "solutions": ["application/sparql-results+json", "application/json", "application/sparql-results+xml",
                  "text/csv", "text/tab-separated-values"],
    "graph": ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json",
              "application/n-quads", "application/trig"],
}


class Refused(Exception):
    """A request kg will not run: an HTTP status and one line for the client."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


# ---- the request: read strictly, so the check and the engine see the same query --------------

def single_header(headers, name: str) -> str | None:
    """A header that may appear once; two of them (read one way by kg, another by a proxy) are refused."""
    values = headers.get_all(name) or []
    if len(values) > 1:
        raise Refused(400, f"{name} given {len(values)} times; give it once")
    return values[0] if values else None


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host values a request may carry: the bound address and --host's name, with the port
    (and without it on port 80). A name an attacker's DNS points at 127.0.0.1 is not among them."""
    names = {host.lower().strip("[]")}
    try:
        addr = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        addr = None
    if addr is not None and addr.is_loopback:
        names |= {"localhost", "127.0.0.1", "::1"}
    if addr is not None and addr.is_unspecified:  # every interface: this machine's names and addresses
        names |= {"localhost", "127.0.0.1", "::1", socket.gethostname().lower(), socket.getfqdn().lower()}
    out = set()
    for n in names:
        shown = f"[{n}]" if ":" in n else n
        out.add(f"{shown}:{port}")
        if port == 80:
            out.add(shown)
    return out


def check_host(value: str | None, allowed: set[str], unspecified: bool) -> None:
    if value is None:
        raise Refused(400, "no Host header")
    v = value.strip().lower()
    if v in allowed:
        return
    if unspecified:  # bound to every interface: any address of this machine, written as an IP
        name = v.rsplit(":", 1)[0] if not v.endswith("]") else v
        try:
            ipaddress.ip_address(name.strip("[]"))
            if any(a.endswith(v[len(name):]) for a in allowed):
                return
        except ValueError:
            pass
    raise Refused(421, f"this server does not answer for Host {value!r} (kg serve --host names the host it answers for)")


def check_origin(headers, own_hosts: set[str], cors: set[str]) -> None:
    """A request a page of another site made (by a form, an <img>, fetch in no-cors mode) is refused
    unless that site is named with --cors: a plain GET needs no CORS, but it still runs the query."""
    origin = single_header(headers, "Origin")
    site = (headers.get("Sec-Fetch-Site") or "").strip().lower()
    if origin and origin in cors:
        return
    if origin and origin != "null":
        parts = urllib.parse.urlsplit(origin)
        if parts.scheme in ("http", "https") and parts.netloc.lower() in own_hosts:
            return
        raise Refused(403, "cross-origin requests are not allowed (kg serve --cors ORIGIN allows one)")
    if origin == "null" or site in ("cross-site", "same-site"):
        raise Refused(403, "cross-origin requests are not allowed (kg serve --cors ORIGIN allows one)")


def query_of(method: str, target: str, headers, body: bytes) -> str:
    """The one query a protocol request carries: ``query=`` in the URL (GET), a form or an
    ``application/sparql-query`` body (POST). Updates, a repeated ``query``, a query in two
    places and dataset parameters are refused, never guessed at."""
    parsed = urllib.parse.urlsplit(target)
    try:
        url = urllib.parse.parse_qs(parsed.query, keep_blank_values=True, strict_parsing=False,
                                    encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise Refused(400, "the URL is not UTF-8") from None
    fields = dict(url)
    if method == "POST":
        ctype = single_header(headers, "Content-Type")
        media = (ctype or "").split(";")[0].strip().lower()
        if media == "application/x-www-form-urlencoded":
            try:
                form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                raise Refused(400, "the form is not UTF-8") from None
            for k, v in form.items():
                fields[k] = fields.get(k, []) + v
        elif media == "application/sparql-query":
            try:
                fields["query"] = fields.get("query", []) + [body.decode("utf-8")]
            except UnicodeDecodeError:
                raise Refused(400, "the query is not UTF-8") from None
        elif media == "application/sparql-update" or "update" in fields:
            raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
        else:
            raise Refused(415, "send the query as application/sparql-query or as a form (query=…)")
    elif body:
        raise Refused(400, f"a {method} request has no body")
    if "update" in fields:
        raise Refused(403, "this endpoint is read-only: SPARQL Update is refused")
    for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
        if name in fields:
            raise Refused(400, f"{name} is not supported: name the graphs in the query (FROM, GRAPH)")
    queries = fields.get("query", [])
    if len(queries) != 1:
        raise Refused(400, "give one query (query=…)" if not queries else "the query is given more than once")
    return queries[0]


def negotiate(accept: str | None, kind: str) -> str:
    """The media type to answer in: the client's most wanted one kg can write, else the default."""
    offered = RESULT_TYPES[kind]
    wanted = []
    for i, item in enumerate((accept or "").split(",")):
        media, *params = [p.strip() for p in item.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        wanted.append((-q, i, media.lower()))
    for q, _, media in sorted(wanted):
        if q == 0:
            break
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return offered[0] if media != "text/*" or kind == "graph" else "text/csv"
    return offered[0]


# ---- the workers: a query runs in a process that can be killed at the time limit ------------

class Worker:
    """One process with the store open read-only, answering one query at a time over a socket."""

    def __init__(self, location: str, alive_fd: int, wait: bool = True):
        from multiprocessing.connection import Connection
        ours, theirs = socket.socketpair()
        # -P: the current directory is not put on sys.path (a kg/ folder there never runs)
        self.proc = subprocess.Popen([sys.executable, "-P", "-m", "kg.serve", location, str(theirs.fileno()),
                                      str(alive_fd)], pass_fds=(theirs.fileno(), alive_fd),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        theirs.close()
        self.conn = Connection(ours.detach())
        if wait:
            self.wait_ready()

    def wait_ready(self) -> None:
        try:
            status, message = self._receive(120)
        except (TimeoutError, EOFError, OSError):
            status, message = "error", "a query worker did not start"
        if status != "ready":
            self.kill()
            raise OSError(message)

    def _receive(self, timeout: float):
        if not self.conn.poll(timeout):
            raise TimeoutError
        return self.conn.recv()

    def ask(self, job: tuple, timeout: float):
        self.conn.send(job)
        return self._receive(timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.conn.close()


class Pool:
    """At most ``size`` queries run at once, each in its own worker; later ones wait their turn."""

    def __init__(self, location: str, timeout: int, size: int):
        self.location, self.timeout = location, timeout
        self.slots = threading.BoundedSemaphore(size)
        self.idle: list[Worker] = []
        self.every: set[Worker] = set()
        self.lock = threading.Lock()
        self.closed = False
        self.alive_r, self.alive_w = os.pipe()  # the workers see EOF on it when kg dies, however it dies
        os.set_inheritable(self.alive_r, True)
        first = [Worker(location, self.alive_r, wait=False) for _ in range(KEEP_IDLE)]  # started side by side
        try:
            for w in first:
                w.wait_ready()  # the store opens, or kg serve stops here
        except OSError:
            for w in first:
                w.kill()
            raise
        for w in first:
            self._add(w)

    def refill(self) -> None:
        """Start a spare worker in the background, so the next query does not wait for one."""
        def start():
            with self.lock:
                if len(self.idle) >= KEEP_IDLE or self.closed:
                    return
            try:
                w = Worker(self.location, self.alive_r)
            except (OSError, TimeoutError, EOFError):
                return
            with self.lock:
                if not self.closed:
                    self.every.add(w)
                    self.idle.append(w)
                    return
            w.kill()
        threading.Thread(target=start, daemon=True).start()

    def _add(self, w: Worker) -> None:
        with self.lock:
            self.every.add(w)
            self.idle.append(w)

    def _drop(self, w: Worker) -> None:
        with self.lock:
            self.every.discard(w)
        w.kill()

    def run(self, job: tuple):
        with self.slots:
            with self.lock:
                w = self.idle.pop() if self.idle else None
            if w is None:
                try:
                    w = Worker(self.location, self.alive_r)
                except (OSError, TimeoutError, EOFError) as e:
                    raise Refused(503, f"no query worker could start ({str(e) or type(e).__name__}); try again") from None
                with self.lock:
                    self.every.add(w)
            try:
                answer = w.ask(job, self.timeout)
            except TimeoutError:
                self._drop(w)
                self.refill()
                raise Refused(503, f"the query ran past the {self.timeout} s limit and was stopped") from None
            except (OSError, EOFError):
                self._drop(w)
                raise Refused(500, "the query stopped its worker (out of memory?)") from None
            with self.lock:
                keep = len(self.idle) < KEEP_IDLE
                if keep:
                    self.idle.append(w)
                else:
                    self.every.discard(w)
            if not keep:  # a burst is over: its extra workers go (each holds its own store handle)
                w.kill()
            return answer

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers = list(self.every)
            self.every.clear()
            self.idle.clear()
        for w in workers:
            w.kill()
        os.close(self.alive_w)
        os.close(self.alive_r)


class _Capped:
    """A binary sink that refuses more than MAX_RESULT bytes."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > MAX_RESULT:
            raise MemoryError
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def answer(store, query: str, accept: str | None, allow_service: bool) -> tuple[int, str, bytes]:
    """Run one query in a worker: (status, content type, body)."""
    import pyoxigraph as ox

    from .query import SERVICE_REFUSED, syntax_message, uses_service
    from .rdf import PREFIXES
    if not allow_service and uses_service(query):
        return 403, "text/plain; charset=utf-8", (SERVICE_REFUSED + " (start kg serve with --allow-service to allow it)\n").encode()
    try:
        results = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
        sink = _Capped()
        if isinstance(results, (ox.QuerySolutions, ox.QueryBoolean)):
            media = negotiate(accept, "solutions")
            fmt = ox.QueryResultsFormat.from_media_type("application/sparql-results+json" if media == "application/json" else media)
            results.serialize(sink, fmt)
        else:
            media = negotiate(accept, "graph")
            ox.serialize(results, sink, ox.RdfFormat.from_media_type(media), prefixes=PREFIXES)
    except SyntaxError as e:
        return 400, "text/plain; charset=utf-8", (syntax_message(query, str(e), shift=0) + "\n").encode()
    except MemoryError:
        return 507, "text/plain; charset=utf-8", f"the result is over {MAX_RESULT >> 20} MB; ask for less (LIMIT)\n".encode()
    except Exception as e:  # noqa: BLE001  (the engine's errors: one line to the client, the worker lives on)
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        return 500, "text/plain; charset=utf-8", f"query failed: {first}\n".encode()
    ctype = media + ("; charset=utf-8" if media.startswith("text/") else "")
    return 200, ctype, b"".join(sink.parts)


def worker_main(location: str, fd: int, alive_fd: int) -> None:
    """A worker: open the store read-only, answer queries until kg closes the socket or dies."""
    from multiprocessing.connection import Connection

    import pyoxigraph as ox

    def watch():  # kg holds the write end: EOF means kg is gone, however it went
        while os.read(alive_fd, 1):
            pass
        os._exit(0)
    threading.Thread(target=watch, daemon=True).start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to kg, which stops the workers
    conn = Connection(fd)
    try:
        store = ox.Store.read_only(location)
        from . import query  # noqa: F401  (the SERVICE check's parser, loaded before the clock runs)
        import rdflib.plugins.sparql.parser  # noqa: F401
    except OSError as e:
        conn.send(("error", f"cannot open the store {location}: {str(e).splitlines()[0]}"))
        return
    conn.send(("ready", ""))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(answer(store, *job))


# ---- the front: HTTP ----------------------------------------------------------------------------

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


def make_handler(pool: Pool, host: str, port: int, cors: set[str], allow_service: bool):
    page = query_page()
    hosts = allowed_hosts(host, port)
    unspecified = host.strip("[]") in ("0.0.0.0", "::")

    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "kg-serve"
        protocol_version = "HTTP/1.0"

        def log_message(self, fmt, *args):  # quiet: a query may hold what the user keeps private
            pass

        def _cors_headers(self) -> None:
            origin = self.headers.get("Origin")
            if origin and origin in cors:
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Vary", "Origin")

        def _send(self, status: int, ctype: str, data: bytes, head_only: bool = False) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self._cors_headers()
            self.end_headers()
            if not head_only:
                self.wfile.write(data)

        def _refuse(self, e: Refused) -> None:
            try:
                self._send(e.status, "text/plain; charset=utf-8", (str(e) + "\n").encode("utf-8"))
            except OSError:
                pass

        def _checked(self) -> None:
            single_header(self.headers, "Host")
            check_host(self.headers.get("Host"), hosts, unspecified)
            for name in ("Content-Length", "Transfer-Encoding", "Accept", "Sec-Fetch-Site"):
                single_header(self.headers, name)
            if self.headers.get("Transfer-Encoding"):
                raise Refused(411, "send the body with a Content-Length, not chunked")

        def do_OPTIONS(self):
            try:
                self._checked()
                if self.headers.get("Origin") not in cors:
                    raise Refused(403, "cross-origin requests are not allowed (kg serve --cors ORIGIN allows one)")
            except Refused as e:
                return self._refuse(e)
            self.send_response(204)
            self._cors_headers()
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _handle(self, body_allowed: bool, head_only: bool = False) -> None:
            try:
                self._checked()
                path = urllib.parse.urlsplit(self.path).path
                if self.command in ("GET", "HEAD") and path in ("/", "/index.html"):
                    return self._send(200, "text/html; charset=utf-8", page, head_only)
                check_origin(self.headers, hosts, cors)
                if path in ("/update", "/store"):
                    raise Refused(403, "this endpoint is read-only: SPARQL Update and the Graph Store protocol are refused")
                if path != "/query":
                    raise Refused(404, "no such page: the endpoint is /query, the query page /")
                body = b""
                if body_allowed:
                    try:
                        length = int(self.headers.get("Content-Length") or 0)
                    except ValueError:
                        length = -1
                    if length < 0 or length > MAX_BODY:
                        raise Refused(413, f"request body over {MAX_BODY} bytes")
                    body = self.rfile.read(length)
                query = query_of(self.command, self.path, self.headers, body)
                status, ctype, data = pool.run((query, self.headers.get("Accept"), allow_service))
            except Refused as e:
                return self._refuse(e)
            try:
                self._send(status, ctype, data, head_only)
            except OSError:
                pass  # the client went away

        def do_GET(self):
            self._handle(False)

        def do_HEAD(self):
            self._handle(False, head_only=True)

        def do_POST(self):
            self._handle(True)
    return Handler


KEEP_IDLE = 2  # workers kept waiting between queries; a burst starts more, up to pool_size()


def pool_size() -> int:
    """Queries that run at once (others wait): enough that a few runaway queries, each stopped at
    --timeout, do not hold up everyone else."""
    return max(16, 4 * (os.cpu_count() or 1))


def serve(location: str, host: str, port: int, timeout: int, *, cors: set[str], allow_service: bool,
          on_ready=None) -> int:
    """Answer SPARQL on ``host:port`` until a signal; returns the exit status."""
    from .store import store_lock
    lock = store_lock(location, shared=True)  # a load now refuses: no data changes under the server
    pool = None
    try:
        pool = Pool(location, timeout, pool_size())
        family = socket.AF_INET6 if ":" in host else socket.AF_INET

        class Server(http.server.ThreadingHTTPServer):
            address_family = family
            daemon_threads = True
        try:
            httpd = Server((host.strip("[]"), port), make_handler(pool, host, port, cors, allow_service))
        except OSError as e:
            raise OSError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
        stop = threading.Event()

        def on_signal(signum, frame):
            stop.set()
            threading.Thread(target=httpd.shutdown, daemon=True).start()
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, on_signal)
        if on_ready:
            on_ready()
        httpd.serve_forever(poll_interval=0.2)
        httpd.server_close()
        return 0
    finally:
        if pool is not None:
            pool.close()
        os.close(lock)
        sys.stdout.flush()


if __name__ == "__main__":
    worker_main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
