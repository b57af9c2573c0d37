"""The evaluation targets on one generated network (seed 1), end to end through the real sync."""

import pytest

from digests.evaluate import TARGETS, evaluate_seed


@pytest.mark.slow
def test_digest_meets_the_targets_on_seed_1(tmp_path):
    result = evaluate_seed(1, workdir=tmp_path)
    assert result.automated_suggested == []
    for section, wanted in TARGETS.items():
        score = result.scores[section]
        for measure, target in wanted.items():
            assert getattr(score, measure) >= target, score.line(section)
