package io.kubeaudit.cli;

enum OutputMode { TEXT, JSON }
