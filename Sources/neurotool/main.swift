import NeuroCLI

Neurotool.main()
