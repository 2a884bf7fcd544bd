"""Information-theoretic estimates from samples (Brian 1's
information_theory): nearest-neighbour entropy and mutual information
(Kozachenko and Leonenko 1987; Kraskov et al. 2004) and Gaussian
closed forms.  Nearest neighbours come from SciPy's k-d tree."""
from __future__ import annotations

import numpy as np

__all__ = ['nearest_distances', 'entropy', 'mutual_information',
           'entropy_gaussian', 'mutual_information2']


def _samples(X, what: str) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2 or len(X) < 2:
        raise ValueError(f"{what} must be (samples, dimensions) with at "
                         f"least 2 samples, got shape {X.shape}")
    return X


def nearest_distances(X, k=1):
    """Squared distance from each sample of X (samples x dimensions) to
    its k-th nearest other sample."""
    from scipy.spatial import cKDTree
    X = _samples(X, "nearest_distances: X")
    if not 1 <= k < len(X):
        raise ValueError(f"nearest_distances: k must be in [1, {len(X)}), "
                         f"got {k}")
    d, _ = cKDTree(X).query(X, k + 1)    # the nearest is the point itself
    return d[:, -1] ** 2


def entropy_gaussian(C):
    """Entropy (nats) of a Gaussian of covariance C (or variance C)."""
    if np.isscalar(C):
        return .5 * (1 + np.log(2 * np.pi)) + .5 * np.log(C)
    C = np.asarray(C, dtype=float)
    n = C.shape[0]
    return .5 * n * (1 + np.log(2 * np.pi)) + .5 * np.log(
        abs(np.linalg.det(C)))


def entropy(X, k=1):
    """Entropy (nats) of the distribution sampled by X (samples x
    dimensions), from the distances to the k-th nearest neighbours."""
    from scipy.special import gamma, psi
    X = _samples(X, "entropy: X")
    r = nearest_distances(X, k)
    if np.any(r == 0):
        raise ValueError("entropy: repeated samples (zero distances)")
    n, d = X.shape
    unit_ball = np.pi ** (.5 * d) / gamma(.5 * d + 1)
    return .5 * d * np.mean(np.log(r)) + np.log(unit_ball) + psi(n) - psi(k)


def mutual_information(X, Y, k=1):
    """Mutual information (nats) between samples X and Y (same number of
    samples)."""
    X = _samples(X, "mutual_information: X")
    Y = _samples(Y, "mutual_information: Y")
    if len(X) != len(Y):
        raise ValueError(f"mutual_information: {len(X)} samples of X and "
                         f"{len(Y)} of Y")
    return entropy(X) + entropy(Y) - entropy(np.hstack((X, Y)), k=k)


def mutual_information2(X, p):
    """Mutual information (nats) of X (samples x dimensions) and a
    discrete variable Y with p equiprobable values, the samples of value i
    being the i-th of p equal blocks of X: the sample mean of
    log p(x|y) / p(x) with Gaussian estimates of both densities
    (covariances regularised by 0.1 % of their largest entry).  Brian 1
    kept only the last sample of each block and added 1 to each block's
    term; brianc averages over all samples."""
    X = _samples(X, "mutual_information2: X")
    X = X / X.max()
    n, d = X.shape
    p = int(p)
    m = n // p
    if m < 2:
        raise ValueError(f"mutual_information2: {n} samples for {p} values")

    def gaussian(Z):
        C = np.atleast_2d(np.cov(Z.T))
        C = C + C.max() * .001 * np.eye(d)
        return Z.mean(axis=0), C, np.linalg.inv(C)

    def quadratic(Z, mean, inv):
        D = Z - mean
        return np.einsum("ij,jk,ik->i", D, inv, D)
    M, C, invC = gaussian(X)
    total = 0.
    for i in range(p):
        Z = X[m * i:m * (i + 1)]
        MZ, CZ, invCZ = gaussian(Z)
        _, logdet = np.linalg.slogdet(C @ invCZ)
        total += .5 * logdet + .5 * np.mean(quadratic(Z, M, invC) -
                                            quadratic(Z, MZ, invCZ))
    return total / p
