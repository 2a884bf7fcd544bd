"""Models of recording setups (Brian 1's electrophysiology models):
electrodes as RC circuits, continuous current- and voltage-clamp
amplifiers (equations to add to a neuron's), and acquisition boards that
sample and inject at their own clock: plain, discontinuous current clamp
(DCC), discontinuous voltage clamp (SEVC) and active electrode
compensation (AEC, Brette et al. 2008, Neuron 59(3):379-91)."""
from __future__ import annotations

import itertools

import numpy as np

from ...clock import Clock
from ...equations import Equations
from ...neurongroup import NeuronGroup
from ...operation import NetworkOperation
from ..._program import core_program
from ...stdunits import mV, ms, nA, nS, pF
from ...units import Mohm, farad, ohm
from .electrode_compensation import electrode_kernel_dendrite, \
    electrode_kernel_soma, full_kernel

__all__ = ['electrode', 'current_clamp', 'voltage_clamp', 'DCC', 'SEVC',
           'AcquisitionBoard', 'AEC', 'VC_AEC']

_ids = itertools.count()


def _fresh(name: str) -> str:
    return f"{name}_{next(_ids)}"


def electrode(Re, Ce, v_el='v_el', vm='vm', i_inj='i_inj', i_cmd='i_cmd'):
    """Equations of an intracellular electrode: a resistance ``Re`` and a
    capacitance ``Ce`` (lists of them: RC stages in series, from the
    membrane out).  ``v_el`` is the electrode (recorded) potential, ``vm``
    the membrane potential, ``i_inj`` the current entering the membrane,
    ``i_cmd`` the command current.  ``Ce = 0`` is an ideal electrode."""
    if isinstance(Re, (list, tuple)) or isinstance(Ce, (list, tuple)):
        if not isinstance(Re, (list, tuple)) or \
                not isinstance(Ce, (list, tuple)) or len(Re) != len(Ce) \
                or len(Re) < 2:
            raise TypeError("electrode: Re and Ce must be sequences of the "
                            "same length (at least 2), or two scalars")
        v_mid = [_fresh('v_mid') for _ in Re[:-1]]
        i_mid = [_fresh('i_mid') for _ in Re[:-1]]
        eqs = electrode(Re[0], Ce[0], v_mid[0], vm, i_inj, i_mid[0])
        for k in range(1, len(Re) - 1):
            eqs += electrode(Re[k], Ce[k], v_mid[k], v_mid[k - 1],
                             i_mid[k - 1], i_mid[k])
        eqs += electrode(Re[-1], Ce[-1], v_el, v_mid[-1], i_mid[-1], i_cmd)
        return eqs
    if float(Ce) > 0:
        return Equations('''
            dvr/dt = ((vm-vr)/Re+ic)/Ce : mV
            ie = (vr-vm)/Re : nA''', vr=v_el, vm=vm, ic=i_cmd, ie=i_inj,
                         Re=Re, Ce=Ce)
    return Equations('''
        vr = vm+Re*ic : volt
        ie = ic : amp''', vr=v_el, vm=vm, ic=i_cmd, ie=i_inj, Re=Re)


def voltage_clamp(vm='vm', v_cmd='v_cmd', i_rec='i_rec', i_inj='i_inj',
                  Re=20 * Mohm, Rs=0 * Mohm, tau_u=1 * ms):
    """Equations of a continuous voltage-clamp amplifier with an ideal
    electrode of resistance ``Re`` (capacitance already neutralised):
    ``v_cmd`` the command potential (a name or a value), ``i_inj`` the
    current into the cell, ``i_rec = -i_inj`` the recorded current,
    ``Rs`` the series-resistance compensation with delay ``tau_u``."""
    return Equations('''
        Irec=-I : amp
        I=(Vc+U-Vr)/Re : amp
        dU/dt=(Rs*I-U)/tau : volt
        ''', Vr=vm, Vc=v_cmd, I=i_inj, Rs=Rs, tau=tau_u, Irec=i_rec, Re=Re)


def current_clamp(vm='vm', i_inj='i_inj', v_rec='v_rec', i_cmd='i_cmd',
                  Re=80 * Mohm, Ce=4 * pF, bridge=0 * ohm,
                  capa_comp=0 * farad, v_uncomp=None):
    """Equations of a continuous current-clamp amplifier and its electrode
    (resistance ``Re``, input capacitance ``Ce``): ``i_cmd`` the command
    current, ``i_inj`` the current into the cell, ``v_rec`` the recorded
    potential after ``bridge`` compensation, ``capa_comp`` the capacitance
    neutralisation (a value or the name of a variable), ``v_uncomp`` the
    raw electrode potential (a fresh name if None)."""
    neutralised = not isinstance(capa_comp, str) and \
        not isinstance(Ce, str) and float(capa_comp) == float(Ce)
    if not neutralised:
        return Equations('''
            Vr=U-R*Ic    : volt
            I=(U-V)/Re : amp
            dU/dt=(Ic-I)/(Ce-CC) : volt
            ''', Vr=v_rec, V=vm, I=i_inj, Ic=i_cmd, R=bridge, Ce=Ce,
                         CC=capa_comp, U=v_uncomp, Re=Re)
    return Equations('''
        Vr=V+(Re-R)*I    : volt
        I=Ic : amp
        ''', Vr=v_rec, V=vm, I=i_inj, Ic=i_cmd, R=bridge, Re=Re)


class AcquisitionBoard(NeuronGroup):
    """A digital acquisition board on its own clock: at each of its steps
    it reads variable ``V`` of group ``P`` into ``record`` and writes
    ``command`` into ``P``'s variable ``I``.  Set ``board.command``, read
    ``board.record`` (or monitor it)."""

    # Whether record holds P's current and command a potential (voltage
    # clamps) rather than the other way round.
    _clamps_voltage = False

    def __init__(self, P, V, I, clock=None):
        units = (P.unit(V), P.unit(I))
        if self._clamps_voltage:
            units = units[::-1]
        eqs = Equations('''
            record : units_record
            command : units_command
            ''', units_record=units[0], units_command=units[1])
        NeuronGroup.__init__(self, len(P), model=eqs, clock=clock)
        self._P, self._V, self._I = P, V, I
        # Live rows: the per-step update writes them in place.
        self._record = self.state('record')
        self._command = self.state('command')
        self._static_program = self._compile_static(P, V)
        self._schedule()

    def _schedule(self) -> None:
        """The per-step update, on the board's clock."""
        self._step_op = NetworkOperation(self.update, clock=self.clock,
                                         when='after_groups',
                                         _register=False)

    @staticmethod
    def _compile_static(P, V):
        """The compiled program of V when it is a static equation of P
        (compiled once here rather than at every read)."""
        model = P._owner._model
        name = model.aliases.get(V, V) if isinstance(V, str) else V
        if isinstance(name, str) and name in model.static_names:
            return core_program(model.compile_static(name))
        return None

    def _core_objects(self):
        return super()._core_objects() + self._step_op._core_objects()

    def _recorded(self) -> np.ndarray:
        if self._static_program is None:
            return np.array(self._P.state(self._V), dtype=float)
        owner = self._P._owner
        values = owner._c.evaluate(self._static_program,
                                   owner._clock._c.step)
        return values[self._P._columns()]

    def _inject(self, current) -> None:
        self._P.state(self._I)[:] = current

    def update(self) -> None:
        self._record[:] = self._recorded()
        self._inject(self._command)


class DCC(AcquisitionBoard):
    """Discontinuous current clamp at sampling ``frequency``: each cycle
    of three board steps records ``V`` then injects three times
    ``command`` for one step and nothing for two."""

    def __init__(self, P, V, I, frequency):
        # The board's own clock: not one the script's later objects may
        # pick up as theirs.
        clock = Clock(dt=self._step(frequency), _register=False)
        AcquisitionBoard.__init__(self, P, V, I, clock)
        self._cycle = 0

    @staticmethod
    def _step(frequency) -> float:
        if not float(frequency) > 0:
            raise ValueError(f"DCC: the sampling frequency must be positive, "
                             f"got {frequency!r}")
        return 1. / (3. * float(frequency))

    def set_frequency(self, frequency) -> None:
        """Changes the sampling frequency (from the current time on).
        The board holds nothing computed from its step, so it moves to a
        new clock of the new step rather than changing its clock's dt,
        which brianc refuses for objects already built."""
        clock = Clock(dt=self._step(frequency), t=self.clock.t,
                      _register=False)
        self.__dict__["_clock"] = clock
        self._schedule()

    def update(self) -> None:
        if self._cycle == 0:
            self._record[:] = self._recorded()
            self._inject(3 * self._command)
        else:
            self._inject(0.0)
        self._cycle = (self._cycle + 1) % 3


class SEVC(DCC):
    """Discontinuous single-electrode voltage clamp: ``command`` is the
    clamp potential, ``record`` the current, computed from the error with
    the proportional ``gain`` and integral ``gain2``."""

    _clamps_voltage = True

    def __init__(self, P, V, I, frequency, gain=100 * nS,
                 gain2=0 * nS / ms):
        DCC.__init__(self, P, V, I, frequency)
        self._J = np.zeros(len(P))
        self._gain = float(gain)
        self._gain2 = float(gain2)

    def update(self) -> None:
        if self._cycle == 0:
            error = self._recorded() - self._command
            self._J += float(self.clock.dt) * self._gain2 * error
            self._record[:] = self._gain * error + self._J
            self._inject(-3 * self._record)
        else:
            self._inject(0.0)
        self._cycle = (self._cycle + 1) % 3


class AEC(AcquisitionBoard):
    """An acquisition board with active electrode compensation (one
    neuron).  ``start_injection()`` injects white noise, ``stop_injection``
    ends it, ``estimate()`` computes the electrode kernel ``Ke`` (ohm per
    sample) from what was recorded meanwhile, ``switch_on()`` subtracts
    the electrode's response from ``record``, ``switch_off()`` stops."""

    def __init__(self, P, V, I, clock=None):
        AcquisitionBoard.__init__(self, P, V, I, clock=clock)
        self._estimation = False
        self._compensation = False
        self.Ke = None
        self._Vrec: list = []
        self._Irec: list = []

    def start_injection(self, amp=.5 * nA, DC=0 * nA) -> None:
        """Starts the white-noise injection: uniform in DC +- amp."""
        self._amp, self._DC = float(amp), float(DC)
        self._estimation = True

    def stop_injection(self) -> None:
        self._estimation = False
        self.command = 0

    def estimate(self, ksize=150, ktail=50, dendritic=False) -> None:
        """Estimates ``Ke`` from the injection: the full kernel of
        ``ksize`` samples, minus the membrane kernel fitted on its samples
        from ``ktail`` on (``dendritic``: a dendritic membrane kernel);
        ``Ke`` keeps the first ``ktail`` samples."""
        if len(self._Irec) <= ksize:
            raise ValueError(f"AEC.estimate: {len(self._Irec)} samples "
                             f"recorded, more than ksize={ksize} needed "
                             f"(inject with start_injection() first)")
        v = np.array(self._Vrec) / float(mV)
        i = np.array(self._Irec) / float(nA)
        K = full_kernel(v, i, ksize)
        self._K = K * float(Mohm)
        extract = electrode_kernel_dendrite if dendritic else \
            electrode_kernel_soma
        self.Ke = extract(K, ktail) * float(Mohm)
        self._ktail = ktail
        self._Vrec, self._Irec = [], []

    def switch_on(self, Ke=None) -> None:
        """Compensation on, with ``Ke`` (default: the estimated one)."""
        if Ke is not None:
            self.Ke = np.asarray(Ke, dtype=float)
        if self.Ke is None:
            raise ValueError("AEC.switch_on: no electrode kernel; call "
                             "estimate() or pass Ke")
        self._compensation = True
        self._lastI = np.zeros(len(self.Ke))
        self._posI = 0

    def switch_off(self) -> None:
        self._compensation = False

    def _electrode_voltage(self, current: float) -> float:
        """Stores the newest injected current in a ring and convolves the
        history with Ke (Ke[0] applies to the newest)."""
        n = len(self._lastI)
        self._posI = (self._posI - 1) % n
        self._lastI[self._posI] = current
        newest_first = np.concatenate((self._lastI[self._posI:],
                                       self._lastI[:self._posI]))
        return float(np.dot(self.Ke, newest_first))

    def update(self) -> None:
        AcquisitionBoard.update(self)
        if self._estimation:
            current = (2. * np.random.rand() - 1.) * self._amp + self._DC
            self._command[:] = current
            self._Vrec.append(float(self._record[0]))
            self._Irec.append(current)
        if self._compensation:
            self._record[0] -= self._electrode_voltage(
                float(self._command[0]))


class VC_AEC(AEC):
    """Voltage clamp through an AEC-compensated electrode: ``command`` is
    the clamp potential, ``record`` the current."""

    _clamps_voltage = True

    def __init__(self, P, V, I, gain=50 * nS, gain2=0 * nS / ms, clock=None):
        AEC.__init__(self, P, V, I, clock=clock)
        self._gain = float(gain)
        self._gain2 = float(gain2)
        self._J = np.zeros(len(P))

    def stop_injection(self) -> None:
        self._estimation = False
        self.record = 0

    def update(self) -> None:
        V = self._recorded()
        self._inject(-self._record)
        if self._estimation:
            current = (2. * np.random.rand() - 1.) * self._amp + self._DC
            self._record[:] = -current
            self._Vrec.append(float(V[0]))
            self._Irec.append(current)
        if self._compensation:
            V[0] -= self._electrode_voltage(-float(self._record[0]))
            error = self._command - V
            self._J += float(self.clock.dt) * self._gain2 * error
            self._record[:] = -(self._gain * error + self._J)
