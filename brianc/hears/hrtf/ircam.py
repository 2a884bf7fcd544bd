"""IRCAM_LISTEN: the IRCAM LISTEN public HRTF database (MAT files read
with SciPy).  The data is not shipped with brianc."""
from __future__ import annotations

import glob
import os
import re

import numpy as np

from ...stdunits import kHz
from .hrtf import HRTFDatabase, HRTFSet, make_coordinates

__all__ = ["IRCAM_LISTEN"]

_WHERE = ("Download the IRCAM LISTEN database "
          "(http://recherche.ircam.fr/equipes/salles/listen/) and unpack it "
          "so that the directory you pass as basedir contains one folder "
          "per subject, IRC_<number>/, each with RAW/MAT/HRIR/"
          "IRC_<number>_R_HRIR.mat (and COMPENSATED/MAT/HRIR/"
          "IRC_<number>_C_HRIR.mat for compensated=True).")


class IRCAM_LISTEN(HRTFDatabase):
    """The IRCAM LISTEN HRTF database found under ``basedir`` (a directory
    or a list of them, each holding IRC_<subject> folders); ``subjects``
    lists the subjects found.  Coordinates are ``azim`` (0 to 345 degrees)
    and ``elev`` (-45 to 90 degrees); 44.1 kHz."""

    def __init__(self, basedir, compensated=False, samplerate=None):
        if not isinstance(basedir, (list, tuple)):
            basedir = [basedir]
        self.basedir = [os.fspath(b) for b in basedir]
        self.compensated = compensated
        names = []
        for base in self.basedir:
            names += glob.glob(os.path.join(base, "IRC_*"))
        pattern = re.compile(r"IRC_(\d{4})$")
        self.subjects = sorted(int(m.group(1)) for m in
                               (pattern.search(os.path.basename(n))
                                for n in names) if m)
        if samplerate is not None:
            raise ValueError("IRCAM_LISTEN: a custom samplerate is not "
                             "supported (the data is at 44.1 kHz)")
        self.samplerate = samplerate

    def _mat_path(self, base: str, subject: str) -> str:
        kind, tag = ("COMPENSATED", "C") if self.compensated else ("RAW", "R")
        return os.path.join(base, "IRC_" + subject, kind, "MAT", "HRIR",
                            f"IRC_{subject}_{tag}_HRIR.mat")

    def load_subject(self, subject, rounddot5=False) -> HRTFSet:
        """The HRTFSet of one subject (e.g. 1002)."""
        subject = str(subject)
        paths = [self._mat_path(b, subject) for b in self.basedir]
        found = [p for p in paths if os.path.exists(p)]
        if not found:
            raise IOError(f"Couldn't find the HRTF files for subject "
                          f"{subject}: looked for {', '.join(paths)}. "
                          f"{_WHERE}")
        try:
            from scipy.io import loadmat
        except ImportError:
            raise ImportError("IRCAM_LISTEN reads MAT files with SciPy: pip "
                              "install 'brianc[hears]'") from None
        m = loadmat(found[0], struct_as_record=True)
        affix = "_hrir_S" if "l_hrir_S" in m else "_eq_hrir_S"
        left, right = m["l" + affix], m["r" + affix]
        azim = left["azim_v"][0][0]
        elev = left["elev_v"][0][0]
        if azim.shape[0] == 1 and elev.shape[0] == 1:
            # IRCAM New: 1xN coordinates, elevations like 7.47 for 7.5
            azim, elev = azim[0, :], elev[0, :]
            if rounddot5:
                azim = np.round(2 * azim) / 2
        else:
            azim, elev = azim[:, 0], elev[:, 0]
        coords = make_coordinates(azim=azim, elev=elev)
        data = np.stack((left["content_m"][0][0], right["content_m"][0][0]))
        samplerate = 192 * kHz if subject.startswith("3") else 44.1 * kHz
        hrtfset = HRTFSet(data, samplerate, coords)
        hrtfset.name = "IRCAM_" + subject
        return hrtfset
