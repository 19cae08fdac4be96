#!/usr/bin/env python3
"""Per-process delivery benchmark (issue 4): one process per message, as an
MTA's pipe agent runs it. `ocspmx send` vs `exim -odf` (hosts_require_ocsp)
vs `swaks --tls`, same server, same run, interleaved in rounds. Peak RSS of
`ocspmx send` measured
by GNU time(1) in a separate, untimed pass: wait4(2) from this Python
process would over-report, because Linux carries the forking parent's RSS
high-water mark into the child's ru_maxrss across fork + exec.

Called by bench/delivery/run.sh, which starts the server and writes the
Exim client configuration.
"""
import argparse
import os
import subprocess
import sys
import time


def run(argv, stdin_path):
    """Runs argv with stdin from a file; returns (seconds, exit, maxrss_kb)."""
    with open(stdin_path, "rb") as stdin:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
        err = p.stderr.read()
        _, status, usage = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.stderr.write(f"{argv[0]} exited {p.returncode}: {err.decode(errors='replace')[:300]}\n")
    return elapsed, p.returncode, usage.ru_maxrss


def count(maildir):
    return len(os.listdir(maildir))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", required=True)
    ap.add_argument("--ocspmx", required=True)
    ap.add_argument("--ocspmx-shared", help="a second ocspmx program, built with "
                    "-Dstatic_gnutls=disabled, measured in the same rounds")
    ap.add_argument("--anchors", required=True)
    ap.add_argument("--exim-config", required=True)
    ap.add_argument("--bundle", help="a system-sized anchors file holding the test root")
    ap.add_argument("--exim-config-bundle", help="the Exim configuration using --bundle")
    ap.add_argument("--message", required=True)
    ap.add_argument("--maildir", required=True)
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()

    tools = {
        "ocspmx send": [a.ocspmx, "send", "--host", f"localhost:{a.port}",
                        "--resolve", "localhost:127.0.0.1", "--hosts-require-ocsp", "*",
                        "--tls-verify-certificates", a.anchors, "--helo-data", "bench.test",
                        "--from", "bench@client.test", "--to", "sink@server.test"],
    }
    if a.ocspmx_shared:
        tools["ocspmx (shared GnuTLS)"] = [a.ocspmx_shared] + tools["ocspmx send"][1:]
    tools |= {
        "exim -odf": ["exim", "-C", a.exim_config, "-odf", "-oi", "-f", "bench@client.test",
                      "sink@server.test"],
        "swaks --tls": ["swaks", "--silent", "2", "--server", f"127.0.0.1:{a.port}", "--tls",
                        "--helo", "bench.test", "--from", "bench@client.test",
                        "--to", "sink@server.test", "--data", "@" + a.message],
    }
    if a.bundle and a.exim_config_bundle:
        ocspmx_bundle = list(tools["ocspmx send"])
        ocspmx_bundle[ocspmx_bundle.index(a.anchors)] = a.bundle
        tools["ocspmx, big store"] = ocspmx_bundle
        tools["exim, big store"] = ["exim", "-C", a.exim_config_bundle] + tools["exim -odf"][3:]
    times = {k: 0.0 for k in tools}
    fails = {k: 0 for k in tools}
    delivered = {k: 0 for k in tools}
    rss = []
    for name, argv in tools.items():  # warm-up: page cache, Exim hints db
        run(argv, a.message)
    for r in range(a.rounds):
        per_round = a.n // a.rounds + (1 if r < a.n % a.rounds else 0)
        for name, argv in tools.items():
            before = count(a.maildir)
            for _ in range(per_round):
                t, code, _ = run(argv, a.message)
                times[name] += t
                fails[name] += code != 0
            delivered[name] += count(a.maildir) - before

    rss_file = os.path.join(os.path.dirname(a.message), "rss")
    for _ in range(10):
        run(["/usr/bin/time", "-f", "%M", "-o", rss_file] + tools["ocspmx send"], a.message)
        with open(rss_file) as f:
            rss.append(int(f.read().split()[-1]))

    print(f"per process: N={a.n} messages per tool, one process per message, "
          f"same server (127.0.0.1:{a.port}), interleaved in {a.rounds} rounds")
    for name in tools:
        print(f"  {name:<22} {times[name]:8.3f} s  {1000 * times[name] / a.n:8.2f} ms/message"
              f"  delivered {delivered[name]}/{a.n}  non-zero exits {fails[name]}")
    print(f"  exim / ocspmx  {times['exim -odf'] / times['ocspmx send']:6.2f}x  (target >= 3x)")
    print(f"  swaks / ocspmx {times['swaks --tls'] / times['ocspmx send']:6.2f}x")
    if "ocspmx, big store" in times:
        print(f"  with a system-sized store (Debian bundle + test root): exim / ocspmx "
              f"{times['exim, big store'] / times['ocspmx, big store']:6.2f}x")
    if a.ocspmx_shared:
        saved = 1000 * (times["ocspmx (shared GnuTLS)"] - times["ocspmx send"]) / a.n
        print(f"  GnuTLS linked in saves {saved:.2f} ms/message over the shared build "
              f"(exim / shared {times['exim -odf'] / times['ocspmx (shared GnuTLS)']:.2f}x)")
    print(f"  peak RSS of ocspmx send: max {max(rss) / 1024:.2f} MB, "
          f"median {sorted(rss)[len(rss) // 2] / 1024:.2f} MB over {len(rss)} runs, GNU time %M  "
          f"(target <= 12 MB)")
    return 0 if all(v == 0 for v in fails.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
