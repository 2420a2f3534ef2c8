import NeuroCLI

Neurotool.runFromCommandLine()
