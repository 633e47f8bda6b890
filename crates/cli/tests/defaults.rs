//! What a new user gets without configuration: an import of a known export without its recipe
//! names the built-in recipe that fits and what it would change, and word lists of a new project
//! leave out the stop words of the corpus's languages (saying so), unless told not to.

use std::path::Path;
use std::process::Command;

fn ok(project: &Path, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .arg("-p")
        .arg(project)
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn project_with_huffpost_export(dir: &Path) -> std::path::PathBuf {
    let lines: Vec<String> = (1..=8)
        .map(|i| {
            serde_json::json!({
                "link": format!("https://www.huffpost.com/entry/story-{i}_n_632d719ee4b087fae6feaac9"),
                "headline": format!("The vaccine and the {i} million who want it"),
                "category": "U.S. NEWS",
                "short_description": "Health experts said that the demand for the new vaccine is hard to predict, and that the state will report it in the spring.",
                "authors": "Jane Doe, AP",
                "date": "2022-09-23",
            })
            .to_string()
        })
        .collect();
    let file = dir.join("News_Category.json");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let project = dir.join("study");
    ok(dir, &["new", project.to_str().unwrap()]);
    project
}

#[test]
fn importing_a_known_export_without_its_recipe_names_the_recipe() {
    let tmp = tempfile::tempdir().unwrap();
    let project = project_with_huffpost_export(tmp.path());
    let file = tmp.path().join("News_Category.json");
    let out = ok(&project, &["import", file.to_str().unwrap()]);
    assert!(out.contains("`huffpost_news_category`"), "{out}");
    assert!(out.contains("recipe = \"huffpost_news_category\""), "{out}");
    // With the recipe, nothing is suggested.
    let again = tmp.path().join("again");
    ok(tmp.path(), &["new", again.to_str().unwrap()]);
    let out = ok(
        &again,
        &[
            "import",
            "--recipe",
            "huffpost_news_category",
            file.to_str().unwrap(),
        ],
    );
    assert!(!out.contains("look like the export"), "{out}");
}

#[test]
fn word_lists_of_a_new_project_leave_out_the_corpus_languages_stop_words() {
    let tmp = tempfile::tempdir().unwrap();
    let project = project_with_huffpost_export(tmp.path());
    let file = tmp.path().join("News_Category.json");
    ok(&project, &["import", file.to_str().unwrap()]);
    let words = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["terms", "--json"];
        args.extend_from_slice(extra);
        let v: serde_json::Value = serde_json::from_str(&ok(&project, &args)).unwrap();
        let note = v["notes"]["stop_words"].as_str().unwrap_or("").to_string();
        let mut terms: Vec<String> = v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["term"].as_str().unwrap().to_string())
            .collect();
        terms.insert(0, note);
        terms
    };
    let default = words(&[]);
    assert!(default[0].starts_with("en ("), "{:?}", default[0]);
    assert!(
        !default[1..].iter().any(|w| w == "the" || w == "and"),
        "{default:?}"
    );
    let all = words(&["--stopwords", "none"]);
    assert_eq!(all[0], "none");
    assert!(all[1..].iter().any(|w| w == "the"), "{all:?}");
}
