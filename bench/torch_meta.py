# How PyTorch runs in the bench scripts (torch_bench.py, torch_conv.py): its version, threads, the BLAS library it
# actually loaded (a run on the reference BLAS, about 3 GFLOP/s, must be visible), oneDNN for convolutions, and the
# OpenBLAS/OpenMP environment the caller set.
import ctypes, os
import torch

def blas_in_use():
    torch.randn(64, 64) @ torch.randn(64, 64)  # make sure the BLAS is loaded
    with open('/proc/self/maps') as f:
        libs = sorted({line.split()[-1] for line in f if 'blas' in line.lower() and '.so' in line})
    info = {'libraries': libs, 'name': 'unknown'}
    for lib in libs:
        real = os.path.realpath(lib)
        try:
            h = ctypes.CDLL(lib)
        except OSError:
            continue
        if hasattr(h, 'openblas_get_config'):
            h.openblas_get_config.restype = ctypes.c_char_p
            core = ''
            if hasattr(h, 'openblas_get_corename'):
                h.openblas_get_corename.restype = ctypes.c_char_p
                core = '; core ' + h.openblas_get_corename().decode()
            info['name'] = 'OpenBLAS'
            info['config'] = h.openblas_get_config().decode() + core
        elif 'mkl' in real:
            info['name'] = 'MKL'
        elif real.endswith('blas/libblas.so.3') or 'libblas.so' in os.path.basename(real) and info['name'] == 'unknown':
            info['name'] = 'reference BLAS (netlib)'
    if 'mkl' in torch.__config__.show().lower() and info['name'] == 'unknown':
        info['name'] = 'MKL (built into torch)'
    return info


def run_meta():
    return {
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'blas': blas_in_use(),
        'mkldnn': torch.backends.mkldnn.is_available(),
        'env': {k: os.environ.get(k) for k in ['OPENBLAS_NUM_THREADS', 'OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'OMP_NUM_THREADS']},
    }
