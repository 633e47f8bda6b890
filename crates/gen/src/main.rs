//! `broadsheet-gen`: writes generated corpora. `broadsheet-gen demo DIR` rewrites the demo
//! collection (the committed `datasets/demo` is exactly its output).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, dir] if cmd == "demo" => match broadsheet_gen::write_demo(&PathBuf::from(dir)) {
            Ok(s) => {
                println!(
                    "wrote {dir}: Steppe Herald {}, Caspian Wire {} ({} reprints), Новости Евразии {}, Payam-e Asia {}, Tien Shan Times {}",
                    s.steppe_herald, s.caspian_wire, s.caspian_wire_reprints, s.novosti, s.payam, s.tien_shan
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("broadsheet-gen: {dir}: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: broadsheet-gen demo DIR");
            ExitCode::from(2)
        }
    }
}
