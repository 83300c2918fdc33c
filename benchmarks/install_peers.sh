#!/usr/bin/env bash
# Install govie and the peer tools of benchmarks/peers.py into a separate venv,
# .venv-peers in the repository root, so that the peers can never break .venv.
#
#     nice -n 19 bash benchmarks/install_peers.sh        # then:
#     .venv-peers/bin/python benchmarks/peers.py
#
# govie is installed first (editable, with torch==2.13.0+cpu from the local
# wheel: a CUDA torch is never pulled), then each peer on its own; a peer that
# fails to install is logged to .venv-peers/peers-install.log and skipped, and
# peers.py reports it as "not installed: <reason>". At the end the script checks
# that govie still loads beside the peers.
#
# Environment: PYTHON (default python3.11, else python3), PEERS_VENV (default
# .venv-peers).
set -uo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-$(command -v python3.11 || command -v python3)}"
VENV="${PEERS_VENV:-.venv-peers}"
LOG="$VENV/peers-install.log"

if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV" || { echo "cannot create $VENV with $PY" >&2; exit 1; }
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
: > "$LOG"
note() { echo "$*" | tee -a "$LOG"; }

# --- govie itself -----------------------------------------------------------
# torch: the CPU build only. pip prefers the local-version wheel 2.13.0+cpu when
# it lies in a find-links folder; asking for "+cpu" explicitly makes pip fail
# rather than fall back to the multi-GB CUDA build from PyPI.
"${PIP[@]}" install -q --upgrade pip wheel || exit 1
if ! "${PIP[@]}" install -q "torch==2.13.0+cpu"; then
    echo "torch==2.13.0+cpu not found locally; trying the PyTorch CPU index" >&2
    "${PIP[@]}" install -q "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu || exit 1
fi
# constraint file: nothing later may replace the CPU torch
CONS="$VENV/constraints.txt"
echo "torch==2.13.0+cpu" > "$CONS"
"${PIP[@]}" install -q -c "$CONS" -e . || exit 1
note "govie: installed"

# --- peers -------------------------------------------------------------------
peer() {  # peer NAME pip-args...
    local name="$1"; shift
    local out
    if out=$("${PIP[@]}" install -q -c "$CONS" "$@" 2>&1); then
        note "$name: installed"
        return 0
    fi
    echo "$out" | tail -n 20 >&2
    note "$name: FAILED: $(echo "$out" | grep -E 'ERROR|error:' | tail -n 1 | cut -c1-300)"
    return 1
}

peer jieba "jieba==0.42.1"
# Recognizers-Text only has pre-releases on PyPI; its emoji pin must be < 2
peer recognizers-text --pre recognizers-text-suite && peer recognizers-text-emoji "emoji<2"
peer jionlp jionlp
# Baidu LAC: an old setup.py that needs setuptools < 70 and no build isolation;
# it runs on paddlepaddle (paddle.fluid is aliased to paddle.base in peers.py)
peer lac-setuptools "setuptools<70" \
    && peer paddlepaddle paddlepaddle \
    && peer lac --no-build-isolation lac

# --- govie must still work beside them -------------------------------------
if ! "$VENV/bin/python" -c "import torch, govie; assert torch.__version__.endswith('+cpu'), torch.__version__; govie.load('rules')('地区生产总值增长6%')"; then
    echo "govie does not run in $VENV after the peer installs" >&2
    exit 1
fi
note "check: govie runs in $VENV"
"${PIP[@]}" list 2>/dev/null | grep -i -E '^(torch|numpy|jieba|jionlp|recognizers-text|emoji|paddlepaddle|lac|setuptools|protobuf) ' | tee -a "$LOG"
