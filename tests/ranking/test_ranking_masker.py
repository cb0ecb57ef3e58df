"""Tests blind mode's `Masker` exactly: every marker's placeholder, and every name a person is known by.

Written against the survivors of the 2026-12-03 mutation run of sourcing/masking.py (217 mutants,
182 killed, 34 survived): a linked profile's name dropped from the names masked
(`p.get("name") and ""`), a login replaced by a constant, placeholders altered
(`"XX[email]XX"`), and `continue` turned into `break` at the first empty name — each
left every test green; each fails here.
"""

from __future__ import annotations

from sourcing.masking import NAME, Masker, masker_for


def test_every_name_of_every_linked_profile_and_each_marker_is_replaced_exactly():
    person = {"name": "Ada Lovelace",
              "profiles": [{"name": "Augusta King", "github_login": "aking"}, {"name": None, "github_login": None}]}
    text = ("Augusta King (aking) wrote to ada@example.org; see https://x.org/ada. Born 12/10/1815, "
            "she is 36 years old, phone +44 20 7946 0958. Lovelace.")
    assert NAME == "[name]"
    assert masker_for(person).mask(text) == (
        "[name] ([name]) wrote to [email]; see [url] [birth date], they is [age], phone [phone]. [name].")


def test_an_empty_name_before_a_real_one_does_not_stop_the_masking():
    assert Masker(names=["", "Ada Lovelace"]).mask("Ada wrote it; Lovelace signed") == "[name] wrote it; [name] signed"
