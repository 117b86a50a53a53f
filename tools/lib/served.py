"""Shared by the tools that check `citymap serve` from the outside (check-open311, fuzz-api, load-test, kill-serve):
a real server on a loopback port over a real database, and the sections they write into CHECKS.md and BENCHMARKS.md."""
import datetime as dt
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data")


def binary(configuration="debug"):
    """The citymap executable of a build configuration (built by the caller, e.g. tools/test or swift build)."""
    path = subprocess.run(["swift", "build", "-c", configuration, "--show-bin-path"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()
    return os.path.join(path, "citymap")


def run(bin_path, *args, db=None, check=True):
    command = [bin_path, *args] + (["--db", db] if db else [])
    done = subprocess.run(command, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.strip()}")
    return done


class Server:
    """`citymap serve --port 0` on a database; knows its address once it listens. Use as a context manager."""

    def __init__(self, bin_path, db, *extra):
        self.bin, self.db, self.extra = bin_path, db, list(extra)
        self.process = None
        self.base = None
        # The request log goes to a file beside the database, as it would to a journal: reading it through a pipe
        # line by line would cost this tool CPU on the cores the server is measured on.
        self.log_path = db + ".serve.log"

    def start(self, timeout=60):
        self.log = open(self.log_path, "ab")
        offset = self.log.tell()  # the log of earlier runs on the same database stays above
        self.process = subprocess.Popen([self.bin, "serve", "--db", self.db, "--port", "0", *self.extra],
                                        stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + timeout
        while time.time() < deadline:
            with open(self.log_path, "rb") as fh:
                fh.seek(offset)
                found = re.findall(r"listening on (https?://[0-9.]+:[0-9]+)", fh.read().decode("utf-8", "replace"))
            if found and self.process.poll() is None:
                self.base = found[-1]
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.process.kill()
        raise SystemExit("citymap serve did not start:\n" + open(self.log_path, encoding="utf-8", errors="replace").read())

    @property
    def lines(self):
        return open(self.log_path, encoding="utf-8", errors="replace").read().splitlines()

    def stop(self, sig=signal.SIGTERM):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=60)
        self.log.close()
        return self.process.returncode

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        return int(self.base.rsplit(":", 1)[1])


def prepared_database(bin_path, folder, name="citymap.sqlite"):
    """A fresh database with the shipped districts, squares and categories, and one token per role."""
    db = os.path.join(folder, name)
    run(bin_path, "init", db=db)
    tokens = {role: run(bin_path, "tokens", "add", f"{role}-tool", "--role", role, db=db).stdout.strip()
              for role in ("field", "office", "admin")}
    return db, tokens


def write_section(document, marker, lines):
    """Replaces (or appends) the block between <!-- marker:start --> and <!-- marker:end --> in a Markdown file."""
    path = os.path.join(ROOT, document)
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else f"# {document[:-3].title()}\n"
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    block = "\n".join([start, *lines, "", end])
    if start in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    with open(path + ".tmp", "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(path + ".tmp", path)
    print(block)


def today():
    return dt.date.today().isoformat()


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    return f"{os.cpu_count()} cores ({cpu})"
