package io.makegood;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class MakegoodApplication {
}
