"""The query worker: a fresh process that cuts itself off the network, opens the engine
read-only, runs one query and writes the answer in a standard serialisation.

Started by :mod:`graph.sandbox` as ``python -I graph/sandbox_worker.py``, never by hand. It reads
one JSON request on stdin (engine directory, query text, bindings as SPARQL JSON terms, limits),
writes the answer on stdout (SPARQL JSON results, or N-Triples for graphs) and ends stderr with one
JSON status line. A request with ``"stream": true`` (see :mod:`graph.sandbox_stream`) gets a
SELECT's rows instead as JSON lines as they are found, from ``offset``, at most ``limit``. It imports only the standard library and pyoxigraph (not even the ``graph``
package), so it starts fast.

Network isolation, before the engine is opened (while the process has one thread): a new, empty
network namespace (``unshare(CLONE_NEWNET)``, inside a new user namespace when not root), else a
seccomp filter (libseccomp) that denies every socket but Unix ones. With neither, the worker
refuses to run, unless ``CASEGRAPH_QUERY_ISOLATION=off`` was chosen.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import resource
import signal
import sys

TYPE_CHECKING = False  # the typing module is not imported: it would slow the start down
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MODES", "main"]

#: Values of ``CASEGRAPH_QUERY_ISOLATION``: auto (namespace, else seccomp), one of them, or off.
MODES = ("auto", "netns", "seccomp", "off")
#: Exit codes the parent understands.
EXIT_OK, EXIT_QUERY_FAILED, EXIT_NOT_ISOLATED = 0, 3, 4

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_PR_SET_PDEATHSIG = 1
_AF_UNIX = 1
_SCMP_ACT_ALLOW = 0x7FFF0000
_SCMP_ACT_ERRNO = 0x00050000
_SCMP_CMP_NE = 1


class _ArgCmp(ctypes.Structure):
    """libseccomp's ``struct scmp_arg_cmp``."""

    _fields_ = [
        ("arg", ctypes.c_uint),
        ("op", ctypes.c_int),
        ("datum_a", ctypes.c_uint64),
        ("datum_b", ctypes.c_uint64),
    ]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when its parent dies (and exit if it already has)."""
    if _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:
        os._exit(1)  # the parent died before the request could take effect


def _new_network_namespace() -> str | None:
    libc = _libc()
    flags = [_CLONE_NEWNET] if os.geteuid() == 0 else []
    flags.append(_CLONE_NEWUSER | _CLONE_NEWNET)
    for flag in flags:
        if libc.unshare(flag) == 0:
            return "netns"
    return None


def _deny_sockets() -> str | None:
    try:
        lib = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    except OSError:
        return None
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_rule_add_array.argtypes = [
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.POINTER(_ArgCmp),
    ]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    context = lib.seccomp_init(_SCMP_ACT_ALLOW)
    if not context:
        return None
    try:
        deny = _SCMP_ACT_ERRNO | errno.EACCES
        not_unix = _ArgCmp(0, _SCMP_CMP_NE, _AF_UNIX, 0)
        socket = lib.seccomp_syscall_resolve_name(b"socket")
        if socket < 0 or lib.seccomp_rule_add_array(context, deny, socket, 1, not_unix) != 0:
            return None
        uring = lib.seccomp_syscall_resolve_name(b"io_uring_setup")  # it can open sockets too
        if uring >= 0 and lib.seccomp_rule_add_array(context, deny, uring, 0, None) != 0:
            return None
        if lib.seccomp_load(context) != 0:
            return None
    finally:
        lib.seccomp_release(context)
    return "seccomp"


def isolate_network(mode: str) -> str | None:
    """Cut this process off the network as ``mode`` asks; the means used, or None if none
    worked. Must run while the process has one thread (before the engine is opened)."""
    if mode == "off":
        return "off"
    found = _new_network_namespace() if mode in ("auto", "netns") else None
    if found is None and mode in ("auto", "seccomp"):
        found = _deny_sockets()
    return found


def limit_resources(memory_bytes: int | None, max_output_bytes: int | None) -> None:
    """Cap the heap (RLIMIT_DATA) and the size of any file written, the answer included."""
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
    if max_output_bytes:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_output_bytes, max_output_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file of the data


def _status(**fields: object) -> None:
    sys.stderr.write("\n" + json.dumps(fields) + "\n")
    sys.stderr.flush()


def _term(value: dict[str, str]) -> Any:
    """A SPARQL JSON results term as an engine term."""
    import pyoxigraph as ox

    kind, text = value["type"], value["value"]
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        return ox.BlankNode(text)
    if "xml:lang" in value:
        return ox.Literal(text, language=value["xml:lang"])
    if "datatype" in value:
        return ox.Literal(text, datatype=ox.NamedNode(value["datatype"]))
    return ox.Literal(text)


def _json(term: Any, plain: str) -> dict[str, str] | None:
    """An engine term as a SPARQL JSON results term; a literal of the ``plain`` datatype
    (``xsd:string``, named by the parent: the worker imports no ``graph`` module) has none."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    datatype = term.datatype.value
    if datatype == plain:
        return {"type": "literal", "value": term.value}
    return {"type": "literal", "value": term.value, "datatype": datatype}


def _stream(result: Any, request: dict[str, Any], out: Any) -> None:
    """Write solutions as JSON lines as they come: the column names, one list of terms per row
    from ``offset`` on (at most ``limit``), then the end with the number of solutions (counted
    to the end only when ``count`` is asked; otherwise the worker stops after the last row)."""
    names = [v.value for v in result.variables]
    out.write(json.dumps({"vars": names}).encode("utf-8") + b"\n")
    offset, limit = int(request.get("offset") or 0), request.get("limit")
    plain = request.get("plain", "")
    stop = None if limit is None else offset + int(limit)
    seen, finished = 0, True
    for solution in result:
        if stop is not None and seen >= stop:
            if not request.get("count"):
                finished = False
                break
        elif seen >= offset:
            row = [_json(solution[name], plain) for name in names]
            out.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
            if stop is not None and seen + 1 == stop:
                out.flush()  # the page is out while the rest is counted
        seen += 1
    out.write(json.dumps({"end": True, "total": seen if finished else None}).encode() + b"\n")


def _run(request: dict[str, Any]) -> str:
    """Run the query and write the answer to stdout; return what kind of answer it was."""
    import pyoxigraph as ox

    engine = ox.Store.read_only(request["engine"]) if request.get("engine") else ox.Store()
    bindings = request.get("bindings") or {}
    substitutions = {ox.Variable(k): _term(v) for k, v in bindings.items()} or None
    result = engine.query(request["query"], substitutions=substitutions)
    out = sys.stdout.buffer
    if request.get("stream"):
        if not isinstance(result, ox.QuerySolutions):
            raise ValueError("only a SELECT query's rows can be paged or streamed")
        _stream(result, request, out)
        kind = "rows"
    elif isinstance(result, ox.QueryTriples):
        result.serialize(out, ox.RdfFormat.N_TRIPLES)
        kind = "triples"
    else:
        result.serialize(out, ox.QueryResultsFormat.JSON)
        kind = "boolean" if isinstance(result, ox.QueryBoolean) else "solutions"
    out.flush()
    return kind


def main() -> None:
    """Isolate, limit, run one query, report."""
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    die_with_parent(int(request["parent"]))
    isolation = isolate_network(request.get("isolation", "auto"))
    if isolation is None:
        _status(error="isolation", isolation=None)
        sys.exit(EXIT_NOT_ISOLATED)
    limit_resources(request.get("memory"), request.get("max_bytes"))
    try:
        kind = _run(request)
    except (SyntaxError, OSError, RuntimeError, ValueError, TypeError, MemoryError) as error:
        code = getattr(error, "errno", None)
        _status(error=type(error).__name__, message=str(error), errno=code, isolation=isolation)
        sys.exit(EXIT_QUERY_FAILED)
    _status(kind=kind, isolation=isolation, pid=os.getpid())


if __name__ == "__main__":
    main()
