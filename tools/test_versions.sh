#!/usr/bin/env bash
# Run the test suite on every supported Python that is installed (3.10 to 3.13), each in its
# own virtualenv (.venv-3.X, made and refreshed as needed); absent versions are skipped with
# a note. Arguments go to pytest (default: the whole suite), e.g.
#   tools/test_versions.sh tests/core tests/cli tests/perf
# PYTHON_VERSIONS="3.10 3.13" picks versions. Exit status: 0 when every version found
# passed, 1 when one failed, 2 when none of them is installed.
set -u
cd "$(dirname "$0")/.."

versions=${PYTHON_VERSIONS:-"3.10 3.11 3.12 3.13"}
if [ "$#" -eq 0 ]; then set -- tests; fi

# python3.X on PATH if it runs (a pyenv shim of a version not selected does not), else
# pyenv's own copy of that version
interpreter() {
    local name="python$1" root candidate
    if command -v "$name" >/dev/null 2>&1 && "$name" -c "" >/dev/null 2>&1; then
        command -v "$name"
        return
    fi
    root=$(pyenv root 2>/dev/null) || return 1
    for candidate in "$root"/versions/"$1".*/bin/"$name"; do
        if [ -x "$candidate" ] && "$candidate" -c "" >/dev/null 2>&1; then
            echo "$candidate"
            return
        fi
    done
    return 1
}

passed=() failed=() skipped=()
for version in $versions; do
    if ! python=$(interpreter "$version"); then
        echo "== python$version: not installed, skipped"
        skipped+=("$version")
        continue
    fi
    venv=".venv-$version"
    stamp="$venv/.installed"
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ] ||
        [ requirements-test.txt -nt "$stamp" ]; then
        echo "== python$version: installing into $venv ($python)"
        "$python" -m venv "$venv" &&
            "$venv/bin/python" -m pip install --quiet --upgrade pip &&
            "$venv/bin/python" -m pip install --quiet -e '.[test,cli]' -r requirements-test.txt &&
            touch "$stamp" || { echo "== python$version: installation failed"; failed+=("$version"); continue; }
    fi
    echo "== python$version: $("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])'), pytest $*"
    if "$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"; then
        passed+=("$version")
    else
        failed+=("$version")
    fi
done

echo "== passed: ${passed[*]:-none}; failed: ${failed[*]:-none}; not installed: ${skipped[*]:-none}"
if [ "${#failed[@]}" -gt 0 ]; then exit 1; fi
if [ "${#passed[@]}" -eq 0 ]; then exit 2; fi
exit 0
