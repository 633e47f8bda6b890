//! Deterministic generators of news-like collections: the small demo corpus in `datasets/demo`
//! (regional security coverage of Central Asia, five outlets, three languages, four formats),
//! the story corpus a first run opens (four dated outlets in four languages, 2019–2024, with
//! planted security episodes) and, for benchmarks, synthetic corpora of any size. The same seed always gives the same bytes.

pub mod demo;
mod places;
pub mod rng;
pub mod story;
mod story_text;
pub mod synth;
mod template;

pub use demo::{write_demo, DemoSummary};
pub use rng::Rng;
pub use story::{write_story, StorySummary, SECURITY_QUERY, STORY_SEED};
pub use synth::{long_text, write_synth, SynthSummary, LONG_TEXT_NODE};
