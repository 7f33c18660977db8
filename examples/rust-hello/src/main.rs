// A WASI preview1 command in Rust: prints a greeting and the arguments it was given.
fn main() {
    println!("Hello from Rust on WASI!");
    for (i, arg) in std::env::args().skip(1).enumerate() {
        println!("argument {}: {}", i + 1, arg);
    }
}
