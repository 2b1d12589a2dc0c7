CREATE TABLE "pgqrs"."events" (
	"run_id" bigint NOT NULL,
	"name" text NOT NULL,
	"payload" json NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_pkey" PRIMARY KEY("run_id","name")
);
--> statement-breakpoint
ALTER TABLE "pgqrs"."runs" ADD COLUMN "wait_event" text;--> statement-breakpoint
ALTER TABLE "pgqrs"."runs" ADD COLUMN "cancel_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "pgqrs"."runs" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "pgqrs"."workflows" ADD COLUMN "paused_at" timestamp with time zone;