#!/usr/bin/env python3
"""Check that Cargo.toml's `rust-version` builds with the committed Cargo.lock.

Every locked package the crate builds with (normal and build dependencies, transitively)
declares the oldest Rust it compiles with; the crate's own `rust-version` must be at least the
newest of those, or `cargo install --locked` on the declared toolchain fails. Dev-dependencies
only build the tests and are reported, not enforced. Reads `cargo metadata --locked` (for
every platform, so it may fetch the sources of a dependency this machine never builds, such as
a Windows-only one, from crates.io); standard library only.
"""
import json
import subprocess
import sys


def version(text):
    return tuple(int(part) for part in text.split("."))


def main():
    metadata = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    packages = {p["id"]: p for p in metadata["packages"]}
    nodes = {n["id"]: n for n in metadata["resolve"]["nodes"]}
    root = metadata["resolve"]["root"]
    declared = packages[root].get("rust_version")
    if not declared:
        sys.exit("check-msrv: Cargo.toml declares no rust-version")

    def reachable(kinds):
        seen, todo = set(), [root]
        while todo:
            current = todo.pop()
            for dep in nodes[current]["deps"]:
                dep_kinds = {k["kind"] for k in dep["dep_kinds"]}
                # Only the root's dev-dependencies are test-only; theirs do not reach us.
                if current != root:
                    dep_kinds.discard("dev")
                if dep_kinds & kinds and dep["pkg"] not in seen:
                    seen.add(dep["pkg"])
                    todo.append(dep["pkg"])
        return seen

    def newest(ids):
        found = [
            (version(packages[i]["rust_version"]), packages[i]["name"], packages[i]["version"])
            for i in ids
            if packages[i].get("rust_version")
        ]
        return max(found) if found else None

    build = reachable({None, "build"})
    tests = reachable({None, "build", "dev"}) - build
    needed = newest(build)
    if needed and needed[0] > version(declared):
        required = ".".join(map(str, needed[0]))
        sys.exit(
            f"check-msrv: rust-version {declared} is too old for the locked dependencies: "
            f"{needed[1]} {needed[2]} needs Rust {required}; raise rust-version to {required} "
            f"(and the README's install section) or lock an older {needed[1]}"
        )
    shown = ".".join(map(str, needed[0])) if needed else "none"
    print(f"check-msrv: rust-version {declared} covers every locked build dependency "
          f"(newest requirement: {shown})")
    dev = newest(tests)
    if dev and dev[0] > version(declared):
        print(f"check-msrv: note: the tests need Rust {'.'.join(map(str, dev[0]))} "
              f"({dev[1]} {dev[2]}, a dev-dependency)")


if __name__ == "__main__":
    main()
