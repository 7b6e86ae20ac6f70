import matplotlib

matplotlib.use("Agg")  # this process only: the notebook kernels nbval starts keep their inline backend

