# Source on the remote GPU machine, in the repository root, after make_bundle.py
# ran here and .dev/ was carried:  . training/gpu/setup.sh
# Installs the carried packages, restores the trimmed e5 file and ../shared.
set -e
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .dev/whl/*.whl
cp -r .dev/site/* /tmp/site/
export PYTHONPATH=/tmp/site:$PWD
[ -e ../shared ] || ln -s "$PWD/.dev/shared" ../shared
if [ -f .dev/e5-small-q4.bin.xz ]; then  # teachers only; students need no e5
  python3 -c "import lzma, shutil; shutil.copyfileobj(lzma.open('.dev/e5-small-q4.bin.xz'), open('/tmp/e5-small-q4.bin', 'wb'))"
fi
export GOVIE_E5_FILE=/tmp/e5-small-q4.bin GOVIE_DEVICE=cuda GOVIE_BACKEND=torch PYTHONUNBUFFERED=1
python3 -W ignore -c "import torch, transformers, datasets; print('torch', torch.__version__, torch.cuda.get_device_name(0), 'transformers', transformers.__version__, 'datasets', datasets.__version__)"
set +e
[ -f /tmp/e5-small-q4.bin ] && python3 -W ignore -c "from govie.encoder import materialize; print(materialize(num_layers=12))" 2>&1 | grep -v Writing
