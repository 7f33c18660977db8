// A WASI 0.2 command component in Rust: an ordinary program, made a component after compiling.
fn main() {
    println!("Hello from a Rust component!");
}
