// Command kube-control-plane is a small Kubernetes control plane for the project's cluster tests, built from the Go
// module proxy at pinned releases: etcd, kube-apiserver, kube-controller-manager and kube-scheduler, and kwok (which
// plays the kubelets of fake nodes).
// Why one binary: the five share most of their packages (client-go, apimachinery, grpc, etcd's client), so one link
// is far cheaper than five on a 2-core machine, and the cache holds one file.
//
//	kube-control-plane etcd|apiserver|controller-manager|scheduler|kwok [flags of that command]
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.etcd.io/etcd/server/v3/etcdmain"
	"k8s.io/component-base/cli"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
	"sigs.k8s.io/kwok/pkg/config"
	kwok "sigs.k8s.io/kwok/pkg/kwok/cmd"
	"sigs.k8s.io/kwok/pkg/log"
	"sigs.k8s.io/kwok/pkg/utils/signals"
)

var kubernetesCommands = map[string]func() *cobra.Command{
	"apiserver":          apiserver.NewAPIServerCommand,
	"controller-manager": controllermanager.NewControllerManagerCommand,
	"scheduler":          func() *cobra.Command { return scheduler.NewSchedulerCommand() },
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	name, args := os.Args[1], os.Args[2:]
	switch {
	case name == "etcd":
		// etcdmain parses its own os.Args-shaped slice: the program name first.
		etcdmain.Main(append([]string{"etcd"}, args...))
	case name == "kwok":
		os.Exit(runKwok(args))
	case kubernetesCommands[name] != nil:
		command := kubernetesCommands[name]()
		command.SetArgs(args)
		os.Exit(cli.Run(command))
	default:
		usage()
	}
}

// runKwok starts kwok as its own main does: logging and `--config` files (Stages and the rest) are read from the
// command line into the context before the command runs.
func runKwok(args []string) int {
	os.Args = append([]string{"kwok"}, args...)
	// The Kubernetes packages linked in register their own flags (`--version` among them) on pflag's global set;
	// kwok, as its own binary, has none of them.
	pflag.CommandLine = pflag.NewFlagSet("kwok", pflag.ExitOnError)
	global := pflag.NewFlagSet("global", pflag.ContinueOnError)
	global.ParseErrorsAllowlist.UnknownFlags = true
	global.Usage = func() {}
	ctx := signals.SetupSignalContext()
	ctx, logger := log.InitFlags(ctx, global)
	ctx, err := config.InitFlags(ctx, global)
	if err != nil {
		logger.Error("kwok: config flags", "err", err)
		return 1
	}
	command := kwok.NewCommand(ctx)
	command.PersistentFlags().AddFlagSet(global)
	command.SetArgs(args)
	if err := command.ExecuteContext(ctx); err != nil {
		logger.Error("kwok", "err", err)
		return 1
	}
	return 0
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: kube-control-plane etcd|apiserver|controller-manager|scheduler|kwok [flags]")
	os.Exit(2)
}
