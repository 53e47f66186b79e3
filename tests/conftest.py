import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def pixels():
    """``pixels(draw, size=(6, 4))``: what ``draw(ax)`` shows on a small figure, as RGBA pixels.

    A chart drawn again in place (its ``plot_*`` function called on the Axes that shows it) is
    tested by comparing its pixels with those of the same chart drawn afresh.
    """

    def draw_to_pixels(draw, size=(6, 4)) -> np.ndarray:
        fig, ax = plt.subplots(figsize=size, dpi=50)
        draw(ax)
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()

    return draw_to_pixels
