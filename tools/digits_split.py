"""Write ``utils/digits_split.npz``, the digits split every chapter uses, from
scikit-learn's ``train_test_split`` (see ``utils.data.scikit_learn_split_indices``).

    python -m tools.digits_split

Run it only if the split's seed or fractions change; every number the book prints
depends on the split.
"""

import numpy as np

from utils.data import (
    DIGITS_SPLIT_FILE,
    DIGITS_SPLIT_PARTS,
    scikit_learn_split_indices,
)


def main():
    parts = scikit_learn_split_indices()
    np.savez_compressed(
        DIGITS_SPLIT_FILE,
        **{
            name: part.astype(np.int16) for name, part in zip(DIGITS_SPLIT_PARTS, parts)
        },
    )
    sizes = " / ".join(str(len(part)) for part in parts)
    print(f"wrote {DIGITS_SPLIT_FILE} ({sizes})")


if __name__ == "__main__":
    main()
