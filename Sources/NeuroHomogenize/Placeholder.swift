import NeuroCore
